"""Triage of online hate against Dutch public officials."""

__version__ = "0.1.0"
