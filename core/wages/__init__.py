"""Wages: workers, employments, wage schedules and entries, their events, links and reports."""
