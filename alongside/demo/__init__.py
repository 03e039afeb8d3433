"""Pieces of the demo data, one module per capability, called from the demo_data command."""
