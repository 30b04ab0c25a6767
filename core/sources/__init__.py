"""Feeds Clearsite pulls project records from, on a schedule, and their health."""
