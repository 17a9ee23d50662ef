"""PagerDuty-looking ids (`PXPGF42`, `Q2KDNUM7R5JYEK`) that are deterministic and reversible.

An id is the row number scrambled by an affine map modulo 36**width, written in base 36: it looks
random, never collides within a kind, and decodes back without a lookup table.
"""

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
KINDS = {  # kind -> (prefix, width, salt)
    "user": ("P", 6, 11),
    "team": ("P", 6, 23),
    "service": ("P", 6, 37),
    "escalation_policy": ("P", 6, 41),
    "priority": ("P", 6, 53),
    "incident": ("Q", 13, 7),
    "log_entry": ("R", 25, 3),
}


def _mult(width: int) -> int:
    """~golden-ratio fraction of the modulus, nudged to be coprime with 36 (hence invertible)."""
    m = 36**width * 618_033_988_749 // 10**12
    while m % 2 == 0 or m % 3 == 0:
        m += 1
    return m


def encode(kind: str, n: int) -> str:
    prefix, width, salt = KINDS[kind]
    x = (n * _mult(width) + salt * 7_919) % 36**width
    digits = []
    for _ in range(width):
        x, r = divmod(x, 36)
        digits.append(ALPHABET[r])
    return prefix + "".join(reversed(digits))


def decode(kind: str, text: str) -> int | None:
    prefix, width, salt = KINDS[kind]
    if len(text) != width + 1 or not text.startswith(prefix) or any(c not in ALPHABET for c in text[1:]):
        return None
    x = 0
    for c in text[1:]:
        x = x * 36 + ALPHABET.index(c)
    modulus = 36**width
    return (x - salt * 7_919) * pow(_mult(width), -1, modulus) % modulus


def user_id(person_id: int) -> str:
    return encode("user", person_id)
