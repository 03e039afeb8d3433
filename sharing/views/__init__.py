"""Pages for what the circle shares: notes (notes.py) and the plan (plans.py)."""
