"""Clearsite domain core: settings, storage, services. Imports no edge framework."""
