#!/usr/bin/python3
# uscc-stdnum.py — our unified social credit codes against python-stdnum
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   uscc-stdnum.py PATH-TO-uscc-check
#
# An independent implementation, stdnum.cn.uscc (Debian: python3-stdnum),
# checks ours over random codes drawn with a fixed seed:
#  1. the 18th character of random bodies: ours == calc_check_digit();
#  2. the verdict on random codes of a structure both accept: ours is
#     "valid" exactly when stdnum's is_valid() holds and the organisation
#     code's own check character (GB 11714, computed here) is right;
#  3. random strings of the code's characters: whatever stdnum refuses as
#     malformed, ours refuses too.
# Deliberate differences, where the two definitions of structure disagree:
#  - stdnum wants digits in characters 1–8, but GB 32100 gives the
#    registration authorities A, N and Y: ours accepts those, stdnum not;
#  - stdnum does not check characters 1–8 further (authority, type of
#    organisation, region), nor the organisation code's check character
#    (ours only warns about it), so ours refuses more than stdnum.
import random
import subprocess
import sys

try:
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidFormat, InvalidLength, ValidationError
except ImportError:
    print('SKIP: python3-stdnum is not installed (build-aux/install-deps test)')
    sys.exit(77)

SEED = 20261129
N = 12000
ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
# GB 32100-2015 table 1, written out again here rather than read from the C
TYPES = {
    '1': '1239', '2': '19', '3': '123459', '4': '19', '5': '1239', '6': '129',
    '7': '129', '8': '19', '9': '123', 'A': '19', 'N': '1239', 'Y': '1',
}
PROVINCES = ('11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 '
             '50 51 52 53 54 61 62 63 64 65 71 81 82').split()


def org_check(body8):
    """GB 11714: the organisation code's check character."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(body8, weights)) % 11
    return 'X' if c == 10 else '0' if c == 11 else str(c)


def random_body(rng, authorities):
    authority = rng.choice(authorities)
    kind = rng.choice(TYPES[authority])
    if rng.random() < 0.05:
        region = '100000'
    else:
        region = rng.choice(PROVINCES) + ''.join(rng.choice('0123456789') for _ in range(4))
    org = ''.join(rng.choice(ALPHABET) for _ in range(8))
    org += org_check(org) if rng.random() < 0.5 else rng.choice(ALPHABET)
    return authority + kind + region + org


def ours(helper, lines):
    out = subprocess.run([helper], input='\n'.join(lines) + '\n', capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert len(out) == len(lines), (len(out), len(lines))
    return [(line[0], line[2:]) for line in out]


def main():
    helper = sys.argv[1]
    rng = random.Random(SEED)
    failures = []

    # 1. the check character, on structurally valid bodies and on any
    bodies = [random_body(rng, list(TYPES)) for _ in range(N)]
    bodies += [''.join(rng.choice(ALPHABET) for _ in range(17)) for _ in range(N // 4)]
    for body, (check, _) in zip(bodies, ours(helper, bodies)):
        if check != uscc.calc_check_digit(body):
            failures.append(f'{body}: check character {check}, '
                            f'stdnum {uscc.calc_check_digit(body)}')
    print(f'1. {len(bodies)} bodies: check characters compared')

    # 2. the verdict where both structures agree (a digit authority)
    digit_authorities = [a for a in TYPES if a.isdigit()]
    codes = []
    for _ in range(N):
        body = random_body(rng, digit_authorities)
        last = uscc.calc_check_digit(body) if rng.random() < 0.5 else rng.choice(ALPHABET)
        codes.append(body + last)
    n_valid = 0
    for code, (_, verdict) in zip(codes, ours(helper, codes)):
        want = 'valid' if uscc.is_valid(code) and code[16] == org_check(code[8:16]) \
            else 'warning'
        n_valid += want == 'valid'
        if verdict != want:
            failures.append(f'{code}: ours {verdict}, expected {want}')
    print(f'2. {len(codes)} codes ({n_valid} valid): verdicts compared')
    # the authorities stdnum does not know
    letters = [random_body(rng, ['A', 'N', 'Y']) for _ in range(N // 10)]
    letters = [body + uscc.calc_check_digit(body) for body in letters]
    for code, (_, verdict) in zip(letters, ours(helper, letters)):
        if verdict.startswith('error') or uscc.is_valid(code):
            failures.append(f'{code}: ours {verdict}, stdnum {uscc.is_valid(code)}')

    # 3. random strings: ours refuses what stdnum finds malformed
    strings = [''.join(rng.choice(ALPHABET) for _ in range(18)) for _ in range(N)]
    n_refused = 0
    for code, (_, verdict) in zip(strings, ours(helper, strings)):
        try:
            uscc.validate(code)
            malformed = False
        except (InvalidFormat, InvalidLength):
            malformed = True
        except ValidationError:
            malformed = False
        n_refused += verdict.startswith('error')
        if malformed and code[0].isdigit() and not verdict.startswith('error'):
            failures.append(f'{code}: stdnum finds it malformed, ours {verdict}')
    print(f'3. {len(strings)} random strings, {n_refused} refused by ours')

    for failure in failures[:50]:
        print('FAIL:', failure)
    if len(failures) > 50:
        print(f'... and {len(failures) - 50} more')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
