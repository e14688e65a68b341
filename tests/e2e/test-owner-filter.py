#!/usr/bin/python3
# End to end: the owner (负责人) chosen from the team, and "My Customers", by
# keys only in two real apps and a real xiaohe-crm-server over loopback.
#
# Li signs in; once the app knows the company's users (GET /v1/users, kept
# in team_users), a new contact's owner is Li by default and the owner's
# label (Alt+R) reaches a drop-down of the users: Li types a contact and
# gives it to Wang through that drop-down by keys, and types one of her
# own. In Li's sort menu (Shift+Ctrl+O) "My Customers" (M) keeps only hers.
# Wang signs in on his own computer (another data folder), syncs, and his
# "My Customers" shows the contact Li gave him and not Li's.
#
# The apps run one after the other, so that the accessibility tree read is
# the one app's; they use the session's keyring under two server addresses
# (127.0.0.1 and localhost), as two computers would have two keyrings.
# Every wait is for a condition, with a deadline.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

from crmtest import (MAIN_TITLE, SKIP, accept_terms, dogtail_ready, keys, log, query,
                     start_app, stop_app, tree_node, type_text, wait_for, xdotool,
                     xdotool_ready)

APP = os.environ.get("XIAOHE_CRM", "xiaohe-crm")
SERVER = os.environ.get("XIAOHE_CRM_SERVER")
SIGN_IN_TITLE = "Sign In to Team Server"
PASSWORDS = {"wang": "Wang-pw-3e9a0c71", "li": "Li-pw-8b2f46d5"}
FOR_WANG = "Wang Customer"
FOR_LI = "Li Customer"


def run_server(work):
    """A server with the company acme and its users wang and li, serving on
    a free loopback port: (the process, the port)."""
    sdir = os.path.join(work, "server")
    for args, stdin in ([("init", sdir), None], [("add-company", sdir, "acme", "Acme"), None],
                        *[[("add-user", sdir, "acme", user), password + "\n"]
                          for user, password in PASSWORDS.items()]):
        subprocess.run([SERVER, *args], input=stdin, text=True, check=True,
                       capture_output=True)
    proc = subprocess.Popen([SERVER, "serve", sdir, "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    end = time.monotonic() + 20
    first = ""
    while not first.startswith("Listening on"):
        assert time.monotonic() < end and proc.poll() is None, "no server"
        if select.select([proc.stdout], [], [], 0.1)[0]:
            first = proc.stdout.readline()
    return proc, int(first.strip().rstrip("/").rsplit(":", 1)[1])


def open_signed_in(work, user, url):
    """The app of user on a data folder of its own, the terms accepted, signed
    in by keys through the main menu (F10, I) and the dialog's mnemonics;
    returns (the process, its database, its main window) once the app knows
    the team's two users."""
    data = os.path.join(work, user)
    db = os.path.join(data, "xiaohe-crm.sqlite3")
    env = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8", XIAOHE_CRM_SYNC_DELAY="1")
    env.pop("GTK_A11Y", None)
    app = start_app([APP, "--data-dir", data], env=env)
    accept_terms("en")
    window = wait_for("the main window", lambda: visible_of(app, MAIN_TITLE["en"]))[0]
    xdotool("windowfocus", "--sync", window)
    keys("F10")
    wait_for("the main menu", lambda: visible_of(app, "xiaohe-crm"))
    keys("i")
    dialog = wait_for("the sign-in dialog", lambda: visible_of(app, SIGN_IN_TITLE))[0]
    xdotool("windowfocus", "--sync", dialog)
    for key, text in (("alt+v", url), ("alt+c", "acme"), ("alt+u", user),
                      ("alt+p", PASSWORDS[user])):
        keys(key, "ctrl+a")
        type_text(text)
    keys("Return")
    wait_for("the dialog to close", lambda: not visible_of(app, SIGN_IN_TITLE))
    wait_for("the team's users", lambda: query(db, "SELECT count(*) FROM team_users")
             == [(2,)], timeout=60)
    xdotool("windowfocus", "--sync", window)
    return app, db, window


def visible_of(app, title):
    return subprocess.run(["xdotool", "search", "--all", "--onlyvisible", "--pid",
                           str(app.pid), "--name", "^%s$" % title],
                          capture_output=True, text=True).stdout.split()


def list_names():
    """The names in the contact list's rows, top to bottom, or None."""
    node = tree_node(lambda n: n.name == "Contact list")
    if node is None:
        return None
    try:
        return sorted(n.name for n in node.findChildren(
            lambda x: x.roleName == "label" and x.name in (FOR_WANG, FOR_LI), recursive=True))
    except Exception:
        return None


def show_mine():
    """Shift+Ctrl+O, then "My Customers" by its mnemonic."""
    keys("shift+ctrl+o")
    wait_for("the sort menu's Show section", lambda: tree_node(lambda n: n.name == "My Customers"))
    keys("m")


def list_shows(names):
    shown = list_names()
    list_shows.last = shown
    return shown == names


def wait_list(what, names):
    try:
        wait_for(what, lambda: list_shows(names), timeout=30)
    except AssertionError:
        log("the list shows", getattr(list_shows, "last", None))
        raise


def quit(app):
    keys("ctrl+q")
    wait_for("the app to quit", lambda: app.poll() is not None)


def main():
    if not xdotool_ready() or not dogtail_ready() or not SERVER:
        log("needs the test session, python3-dogtail and XIAOHE_CRM_SERVER")
        return SKIP

    work = tempfile.mkdtemp(prefix="xiaohe-crm-e2e-owner-")
    srv, port = run_server(work)
    apps = []
    try:
        li, li_db, li_window = open_signed_in(work, "li", "http://localhost:%d" % port)
        apps.append(li)

        # a contact for Wang: Ctrl+N, the name, Alt+R (the owner's mnemonic)
        # opens the owners' list (No Owner, li: hers by default, wang), Home
        # and Down twice to wang, Return; Ctrl+Return saves
        keys("ctrl+1", "ctrl+n")
        type_text(FOR_WANG)
        keys("alt+r")
        wait_for("the owners' list", lambda: tree_node(
            lambda n: n.name == "wang" and n.parent.parent.roleName == "list item"))
        keys("Home", "Down", "Down", "Return")
        # named for a screen reader: the drop-down and the button in it
        choice = tree_node(lambda n: n.roleName == "combo box" and n.name == "Owner")
        assert choice is not None, "no drop-down named Owner"
        assert [b.name for b in choice.findChildren(lambda x: x.roleName == "push button")] \
            == ["Owner"], "the drop-down's button has no name"
        wait_for("the drop-down showing wang", lambda: tree_node(
            lambda n: n.roleName == "combo box" and n.findChild(
                lambda x: x.roleName == "label" and x.name == "wang"
                and x.parent.parent.roleName == "filler", retry=False, requireResult=False)))
        keys("ctrl+Return")
        wait_for("Wang's contact saved", lambda: query(
            li_db, "SELECT owner FROM contacts WHERE name = '%s'" % FOR_WANG) == [("wang",)])

        # one of her own: the owner is Li without a key
        keys("Escape", "ctrl+n")
        type_text(FOR_LI)
        keys("ctrl+Return")
        wait_for("Li's contact saved", lambda: query(
            li_db, "SELECT owner FROM contacts WHERE name = '%s'" % FOR_LI) == [("li",)])
        keys("Escape")
        wait_list("both contacts listed", [FOR_LI, FOR_WANG])

        # Li's customers only
        show_mine()
        wait_list("Li's My Customers", [FOR_LI])

        # pushed, then Li's computer is done
        wait_for("the outbox pushed", lambda: (keys("F5") or True) and query(
            li_db, "SELECT count(*) FROM outbox") == [(0,)], timeout=60)
        quit(li)
        apps.remove(li)

        wang, wang_db, wang_window = open_signed_in(work, "wang", "http://127.0.0.1:%d" % port)
        apps.append(wang)
        wait_for("both contacts at Wang's", lambda: (keys("F5") or True) and query(
            wang_db, "SELECT count(*) FROM contacts") == [(2,)], timeout=60)
        wait_list("both at Wang's", [FOR_LI, FOR_WANG])
        show_mine()
        wait_list("Wang's My Customers", [FOR_WANG])
        quit(wang)
        apps.remove(wang)
    except BaseException:
        if os.environ.get("XIAOHE_CRM_E2E_SHOT"):
            subprocess.run(["import", "-window", "root", os.environ["XIAOHE_CRM_E2E_SHOT"]])
        raise
    finally:
        for app in apps:
            stop_app(app)
        srv.terminate()
        srv.wait()

    shutil.rmtree(work)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
