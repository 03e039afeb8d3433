"""The record's own reminder kinds; other apps register theirs the same way (referrals/reminder_kinds.py)."""
