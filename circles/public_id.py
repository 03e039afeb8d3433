"""Client public IDs: short, read aloud over the phone, with a check character.

An ID is seven random symbols from Crockford's base-32 alphabet (no I, L, O or U) and a Luhn mod 32 check
symbol, shown as two groups of four: ``7KM3-QXP4``. Luhn mod N catches every single mistyped symbol and
most swaps of two neighbours, so a typo is rejected instead of finding somebody else.

Reading is forgiving where it cannot be wrong: case, spaces and hyphens are ignored, and O, I and L are
read as 0, 1 and 1 (as Crockford intends).
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
PAYLOAD_LENGTH = 7


class InvalidPublicId(ValueError):
    pass


def check_symbol(payload: str) -> str:
    """The Luhn mod 32 check symbol for `payload` (already upper case, alphabet only)."""
    total = 0
    factor = 2
    for symbol in reversed(payload):
        addend = factor * _VALUE[symbol]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def generate() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LENGTH))
    return display(payload + check_symbol(payload))


def display(compact: str) -> str:
    return f"{compact[:4]}-{compact[4:]}"


def normalise(text: str) -> str:
    """The canonical form of a typed ID, or InvalidPublicId if it is not a valid one."""
    compact = text.strip().upper().translate(_READ_AS)
    if len(compact) != PAYLOAD_LENGTH + 1 or any(symbol not in _VALUE for symbol in compact):
        raise InvalidPublicId("A client ID has 8 letters and numbers, like 7KM3-QXP4.")
    if check_symbol(compact[:-1]) != compact[-1]:
        raise InvalidPublicId("That client ID is not right. Check it for a mistyped letter or number.")
    return display(compact)


def looks_like(text: str) -> bool:
    """True if `text` is shaped like an ID (so a search should treat it as one)."""
    compact = text.strip().upper().translate(_READ_AS)
    return (
        len(compact) == PAYLOAD_LENGTH + 1
        and all(symbol in _VALUE for symbol in compact)
        and any(symbol.isdigit() for symbol in compact)
    )


def is_mistyped(text: str) -> bool:
    """True if `text` is shaped like an ID but its check symbol does not fit: a typo, not a stranger."""
    if not looks_like(text):
        return False
    try:
        normalise(text)
    except InvalidPublicId:
        return True
    return False
