"""Byte sizes written the way admins write them: 500M, 2G, 1.5GiB, 1048576."""
import re

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Return the number of bytes in text; raise ValueError naming the bad input."""
    match = _SIZE_RE.match(str(text))
    if not match:
        raise ValueError(f"not a size: {text!r} (use e.g. 500M, 2G or a number of bytes)")
    number, unit = match.groups()
    return int(float(number) * _UNITS[unit.upper()])


def format_size(nbytes: int) -> str:
    """Return nbytes in the largest binary unit that keeps it readable (1.5G, 300M)."""
    for unit in ("T", "G", "M", "K"):
        factor = _UNITS[unit]
        if nbytes >= factor:
            value = nbytes / factor
            return f"{value:.1f}".rstrip("0").rstrip(".") + unit
    return f"{nbytes}B"


def format_size_exact(nbytes: int) -> str:
    """2G when that is exact, else the byte count: a value shown in a form or an export
    must read back unchanged (format_size rounds)."""
    text = format_size(nbytes) if nbytes else "0"
    return text if parse_size(text) == nbytes else str(nbytes)
