"""Edit distance between two words (did-you-mean, either engine)."""


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, with the bit-vector algorithm of Myers and Hyyrö: one
    pass over `b` with a few integer operations per character, where the table
    algorithm made len(a) x len(b) Python steps (0.5 s of a did-you-mean on the
    news corpus)."""
    if not a or not b:
        return len(a) + len(b)
    letters = {}
    for i, letter in enumerate(a):
        letters[letter] = letters.get(letter, 0) | 1 << i
    full, last = (1 << len(a)) - 1, 1 << (len(a) - 1)
    plus, minus, distance = full, 0, len(a)
    for letter in b:
        eq = letters.get(letter, 0)
        xv = eq | minus
        xh = ((((eq & plus) + plus) & full) ^ plus) | eq
        hplus = minus | (~(xh | plus) & full)
        hminus = plus & xh
        if hplus & last:
            distance += 1
        elif hminus & last:
            distance -= 1
        hplus = (hplus << 1 | 1) & full
        hminus = (hminus << 1) & full
        plus = hminus | (~(xv | hplus) & full)
        minus = hplus & xv
    return distance
