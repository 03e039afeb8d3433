"""API token keys: made at random, shown once, kept only as a hash."""

import hashlib
import re
import secrets

KEY_PATTERN = re.compile(r"[0-9a-f]{64}")


def new_key() -> str:
    return secrets.token_hex(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_key(key: str) -> bool:
    return KEY_PATTERN.fullmatch(key) is not None
