#!/usr/bin/python3
"""Regenerates the Beancount conformance fixtures in tests/fixtures/ledger/.

Run with Debian's Python, which has beancount 2.3.5 (the `python3` of a pyenv usually does not):

    /usr/bin/python3 scripts/ledger-fixtures/generate.py            # every case
    /usr/bin/python3 scripts/ledger-fixtures/generate.py CASE ...   # some cases
    /usr/bin/python3 scripts/ledger-fixtures/generate.py --examples # also re-run bean-example

For each folder tests/fixtures/ledger/<case>/ holding main.beancount it loads the ledger with
beancount.loader.load_file and writes <case>/expected.json: Beancount's errors, balances, balances
at a few dates and holdings. The exact definitions are in scripts/ledger-fixtures/README.md; this
file is their executable form. Output is canonical (sorted keys, 2-space indent, trailing newline)
so that regenerating gives no diff.
"""

import datetime
import json
import os
import re
import subprocess
import sys
from decimal import Decimal, localcontext

import beancount
from beancount import loader
from beancount.core import data
from beancount.core.inventory import Inventory

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, 'tests', 'fixtures', 'ledger')

# Cases produced by bean-example: (case folder, seed, date-begin, date-end, date-birth).
# Re-generated only with --examples; the ledger text is committed like any other case.
BEAN_EXAMPLE_CASES = [
    ('example-seed1-2months', 1, '2020-01-01', '2020-03-01', '1980-05-12'),
    ('example-seed7-6months', 7, '2021-03-01', '2021-09-01', '1975-02-03'),
    ('example-seed42-1year', 42, '2019-01-01', '2020-01-01', '1990-11-30'),
]


def classify_error(error):
    """Maps one Beancount 2.3.5 error onto the DawsOS error type.

    This is the single mapping table; scripts/ledger-fixtures/README.md lists it row by row.
    The first matching row wins.

      class                          message starts with / contains         type
      ParserError, ParserSyntaxError, LexerError   (any)                    syntax
      LoadError                      'File glob "' ... 'does not match'     missing_include
      LoadError                      'File "' ... 'does not exist'          missing_include
      LoadError                      'Error importing "'                    plugin
      LoadError                      'Error applying plugin "'              plugin
      BalanceError                   "Account '" ... 'does not exist'       unknown_account
      BalanceError                   "Invalid currency '" ... 'for Balance directive'
                                                                            currency_constraint
      BalanceError                   (any other)                            balance_assertion
      PadError                       'Unused Pad entry'                     unused_pad
      ReductionError                 'No position matches'                  no_matching_lot
      AmbiguousMatchError            'Not enough lots to reduce'            insufficient_lots
      AmbiguousMatchError            'Ambiguous matches'                    ambiguous_lot
      AmbiguousMatchError            'AVERAGE method is not supported'      unsupported_booking
      (any)                          'Unsupported booking'                  unsupported_booking
      ValidationError                'Transaction does not balance'         unbalanced
      InterpolationError, CategorizationError   (any)                       interpolation
      ValidationError                'Invalid reference to unknown account' unknown_account
      ValidationError                'Invalid reference to inactive account' inactive_account
      ValidationError                'Duplicate open directive'             duplicate_open
      ValidationError                'Invalid currency '                    currency_constraint
      (anything else)                                                       other
    """
    cls = type(error).__name__
    msg = error.message
    if cls in ('ParserError', 'ParserSyntaxError', 'LexerError'):
        return 'syntax'
    if cls == 'LoadError':
        if msg.startswith('File glob "') and 'does not match any files' in msg:
            return 'missing_include'
        if msg.startswith('File "') and msg.endswith('does not exist'):
            return 'missing_include'
        if msg.startswith('Error importing "') or msg.startswith('Error applying plugin "'):
            return 'plugin'
        return 'other'
    if cls == 'BalanceError':
        if msg.startswith("Account '") and 'does not exist' in msg:
            return 'unknown_account'
        if msg.startswith("Invalid currency '") and 'for Balance directive' in msg:
            return 'currency_constraint'
        return 'balance_assertion'
    if cls == 'PadError' and msg.startswith('Unused Pad entry'):
        return 'unused_pad'
    if cls == 'ReductionError' and msg.startswith('No position matches'):
        return 'no_matching_lot'
    if cls == 'AmbiguousMatchError':
        if msg.startswith('Not enough lots to reduce'):
            return 'insufficient_lots'
        if msg.startswith('Ambiguous matches'):
            return 'ambiguous_lot'
        if msg.startswith('AVERAGE method is not supported'):
            return 'unsupported_booking'
    if msg.startswith('Unsupported booking'):
        return 'unsupported_booking'
    if cls == 'ValidationError' and msg.startswith('Transaction does not balance'):
        return 'unbalanced'
    if cls in ('InterpolationError', 'CategorizationError'):
        return 'interpolation'
    if cls == 'ValidationError':
        if msg.startswith('Invalid reference to unknown account'):
            return 'unknown_account'
        if msg.startswith('Invalid reference to inactive account'):
            return 'inactive_account'
        if msg.startswith('Duplicate open directive'):
            return 'duplicate_open'
        if msg.startswith('Invalid currency '):
            return 'currency_constraint'
    return 'other'


def normalize_message(message, case_dir):
    """Makes a message independent of the machine: absolute paths of the case folder become
    relative, and the Python traceback Beancount appends to plugin errors is cut off (only the
    first line, up to and including the quoted plugin name, is kept)."""
    message = message.replace(case_dir + os.sep, '').replace(case_dir, '.')
    m = re.match(r'^(Error importing "[^"]*"|Error applying plugin "[^"]*")', message)
    if m:
        return m.group(1)
    return message


def error_location(error, case_dir):
    """(file relative to the case folder with forward slashes, line) or (None, None) when Beancount
    gives no real location (loader errors carry the pseudo-file "<load>" and line 0)."""
    source = error.source
    if not source:
        return None, None
    filename = source.get('filename')
    lineno = source.get('lineno')
    if not filename or filename.startswith('<'):
        return None, None
    if os.path.isabs(filename):
        filename = os.path.relpath(filename, case_dir)
    return filename.replace(os.sep, '/'), lineno


def errors_json(errors, case_dir):
    out = []
    for error in errors:
        file, line = error_location(error, case_dir)
        out.append({
            'type': classify_error(error),
            'file': file,
            'line': line,
            'message': normalize_message(error.message, case_dir),
        })
    # Stable order independent of plugin/validation order: file (None first), line, type, message.
    out.sort(key=lambda e: (e['file'] or '', e['line'] or 0, e['type'], e['message']))
    return out


def transactions(entries, before=None):
    for entry in entries:
        if isinstance(entry, data.Transaction) and (before is None or entry.date < before):
            yield entry


def balances(entries, before=None):
    """Units per account and currency, accumulated in Beancount's entry order the way
    Inventory.add_amount does (a running sum that is dropped when it reaches zero, so the next
    amount starts afresh with its own exponent); zero balances are omitted."""
    per_account = {}
    for entry in transactions(entries, before):
        for posting in entry.postings:
            inv = per_account.setdefault(posting.account, Inventory())
            inv.add_amount(posting.units)
    out = {}
    for account in sorted(per_account):
        inv = per_account[account]
        cur = {}
        for position in inv:
            if position.units.number != 0:
                cur[position.units.currency] = str(position.units.number)
        if cur:
            out[account] = dict(sorted(cur.items()))
    return out


def holdings(entries, before=None):
    """Open lots per account: each account's inventory built with Inventory.add_position over the
    booked postings (so a reduction cancels the lot it matched), then grouped per (account,
    commodity, cost currency)."""
    per_account = {}
    for entry in transactions(entries, before):
        for posting in entry.postings:
            inv = per_account.setdefault(posting.account, Inventory())
            inv.add_position(posting)
    rows = []
    for account, inv in per_account.items():
        groups = {}
        order = []
        for position in inv:  # inventory order: insertion order of the lot keys still open
            if position.units.number == 0:
                continue
            cost_currency = position.cost.currency if position.cost is not None else None
            key = (position.units.currency, cost_currency)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(position)
        for key in order:
            currency, cost_currency = key
            positions = groups[key]
            with localcontext() as ctx:
                ctx.prec = 200  # exact: no rounding in sums of products
                units = sum((p.units.number for p in positions), Decimal(0))
                if cost_currency is None:
                    rows.append({
                        'account': account, 'currency': currency, 'units': str(units),
                        'cost_currency': None, 'cost_total': None, 'lots': [],
                    })
                    continue
                cost_total = sum((p.units.number * p.cost.number for p in positions), Decimal(0))
            lots = [{
                'units': str(p.units.number),
                'cost': str(p.cost.number),
                'currency': p.cost.currency,
                'date': p.cost.date.isoformat() if p.cost.date else None,
                'label': p.cost.label,
            } for p in positions]
            rows.append({
                'account': account, 'currency': currency, 'units': str(units),
                'cost_currency': cost_currency, 'cost_total': str(cost_total), 'lots': lots,
            })
    rows.sort(key=lambda r: (r['account'], r['currency'], r['cost_currency'] or ''))
    return rows


def choose_dates(entries):
    """Up to three dates per case, taken from the dates of the transactions (those of all entries
    when there is no transaction): the median transaction date (a date exactly on an entry, whose
    own entries are therefore excluded), the calendar midpoint of the first and last transaction
    dates, and the last transaction date. Duplicates are dropped; the dates are sorted."""
    dates = sorted({e.date for e in entries if isinstance(e, data.Transaction)})
    if not dates:
        dates = sorted({e.date for e in entries})
    if not dates:
        return []
    first, last = dates[0], dates[-1]
    median = dates[len(dates) // 2]
    mid = first + datetime.timedelta(days=(last - first).days // 2)
    chosen = []
    for d in (median, mid, last):
        if d not in chosen:
            chosen.append(d)
    return sorted(chosen)


def generate_case(case_dir):
    main = os.path.join(case_dir, 'main.beancount')
    entries, errors, _options = loader.load_file(main)
    result = {
        'beancount_version': beancount.__version__,
        'errors': errors_json(errors, case_dir),
        'balances': balances(entries),
        'balances_at': {d.isoformat(): balances(entries, d) for d in choose_dates(entries)},
        'holdings': holdings(entries),
    }
    text = json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + '\n'
    with open(os.path.join(case_dir, 'expected.json'), 'w', encoding='utf-8') as f:
        f.write(text)
    return result


def regenerate_examples():
    for name, seed, begin, end, birth in BEAN_EXAMPLE_CASES:
        case_dir = os.path.join(FIXTURES, name)
        os.makedirs(case_dir, exist_ok=True)
        subprocess.run(['bean-example', '--seed', str(seed), '--date-begin', begin,
                        '--date-end', end, '--date-birth', birth,
                        '-o', os.path.join(case_dir, 'main.beancount')],
                       check=True, stderr=subprocess.DEVNULL)


def main(argv):
    if beancount.__version__ != '2.3.5':
        sys.exit('expected beancount 2.3.5, found {}'.format(beancount.__version__))
    args = [a for a in argv if not a.startswith('--')]
    if '--examples' in argv:
        regenerate_examples()
    cases = args or sorted(
        d for d in os.listdir(FIXTURES)
        if os.path.isfile(os.path.join(FIXTURES, d, 'main.beancount')))
    for case in cases:
        result = generate_case(os.path.join(FIXTURES, case))
        types = ','.join(sorted({e['type'] for e in result['errors']})) or '-'
        print('{:40s} errors={:3d} [{}]'.format(case, len(result['errors']), types))


if __name__ == '__main__':
    main(sys.argv[1:])
