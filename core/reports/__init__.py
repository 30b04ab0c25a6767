"""Citizen reports: questions and problems about a site, their thread, officials' answers."""
