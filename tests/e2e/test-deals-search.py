#!/usr/bin/python3
# End to end: the deals' search by keys (issue 15), in the real xiaohe-crm
# under the test session's X display (xdotool key events). A contact 张伟 and
# three deals are made by keys; then Ctrl+F in the deals view, and what is
# typed narrows the cards shown on the board, read over AT-SPI as a screen
# reader would (a card's accessible name starts with its title): the pinyin
# initials of the customer ("zw"), a Chinese substring of a title, a Latin
# word, the pinyin of a title; Escape clears the search and every card is back.
#
# Every wait is for a condition, with a deadline; none is a fixed sleep.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sys
import tempfile

from crmtest import (SKIP, accessible_names, bind_keysyms, focus_window, keys, log, open_app,
                     query, stop_app, type_text, wait_closed, wait_for, xdotool, xdotool_ready)

TITLES = ("Annual contract", "Server renewal", "家具采购")


def cards_shown():
    """The titles of the deals whose cards are in the accessible tree."""
    names = accessible_names() or []
    return sorted({t for t in TITLES for n in names if n.startswith(t + ",")})


def wait_cards(what, expected):
    expected = sorted(expected)
    got = wait_for(what, lambda: (lambda c: c if c == expected else None)(cards_shown()))
    log(what, got)


def add_deal(db_path, window, title, customer=None):
    n = len(query(db_path, "SELECT id FROM deals"))
    keys("ctrl+n")
    focus_window("New Deal")
    type_text(title)
    if customer is not None:
        keys("alt+c")
        type_text(customer)
        keys("Return")              # takes the first match, once it is found
    keys("alt+a")
    type_text("100")
    # the picker takes the match once its search is done; until then the
    # editor does not save, and Ctrl+Return is pressed again
    for attempt in range(5):
        keys("ctrl+Return")
        try:
            wait_for("the deal " + title,
                     lambda: len(query(db_path, "SELECT id FROM deals")) == n + 1, timeout=4.0)
            break
        except AssertionError:
            if attempt == 4:
                raise
    wait_closed("New Deal")
    xdotool("windowfocus", "--sync", window)


def main():
    if not xdotool_ready():
        return SKIP

    bind_keysyms("张伟家具采购")

    data_dir = tempfile.mkdtemp(prefix="xiaohe-crm-e2e-deal-search-")
    db_path = os.path.join(data_dir, "xiaohe-crm.sqlite3")
    app, window = open_app(data_dir)
    try:
        keys("ctrl+1", "ctrl+n")
        type_text("张伟")
        keys("ctrl+Return")
        wait_for("the contact", lambda: len(query(db_path, "SELECT id FROM contacts")) == 1)

        keys("ctrl+2")
        add_deal(db_path, window, "Server renewal", "张伟")
        add_deal(db_path, window, "家具采购")
        add_deal(db_path, window, "Annual contract")
        if accessible_names() is None:
            log("python3-dogtail missing: the cards cannot be read back")
            return SKIP
        rows = query(db_path, "SELECT title, contact_id IS NOT NULL FROM deals ORDER BY title")
        log("database", rows)
        assert ("Server renewal", 1) in rows, rows

        wait_cards("every card", TITLES)

        # the customer's pinyin initials: only the deal for 张伟
        keys("ctrl+f")
        wait_for("the search entry", lambda: "Search deals" in (accessible_names() or []))
        type_text("zw")
        wait_cards("the deal of zw", ["Server renewal"])

        # a Chinese substring of a title, the text typed before replaced
        keys("ctrl+a")
        type_text("家具")
        wait_cards("the deal of 家具", ["家具采购"])

        # a Latin word of a title; the pinyin of another
        keys("ctrl+a")
        type_text("serv")
        wait_cards("the deal of serv", ["Server renewal"])
        keys("ctrl+a")
        type_text("jiaju")
        wait_cards("the deal of jiaju", ["家具采购"])

        # Escape clears and closes: every card again
        keys("Escape")
        wait_cards("every card again", TITLES)

        keys("ctrl+q")
        code = wait_for("the app to quit", lambda: app.poll() is not None and (app.returncode,))
        assert code == (0,), "exit status %r" % (code,)
    finally:
        stop_app(app)

    shutil.rmtree(data_dir)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
