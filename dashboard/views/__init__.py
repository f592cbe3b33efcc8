"""Thin page modules: fetch through dashboard.data, render through dashboard.views.common. No SQL here."""
