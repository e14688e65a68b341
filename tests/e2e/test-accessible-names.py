#!/usr/bin/python3
# Every control a person can reach has an accessible name: walks the real
# app's AT-SPI tree (what a screen reader sees) with the contact editor open
# and the search bar shown, in English and in Chinese.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sqlite3
import sys
import tempfile
import uuid

from crmtest import (SKIP, enter_path, accept_terms, add_contact_by_keys, dogtail_ready, focus_window, log,
                     open_app, query, quit_app, start_app, start_app_a11y, stop_app, visible,
                     wait_for, xdotool)

APP = os.environ.get("XIAOHE_CRM", "xiaohe-crm")
# roles a person operates; each needs a name of its own
NAMED_ROLES = {"push button", "toggle button", "text", "password text", "entry",
               "check box", "radio button", "combo box", "list", "menu button",
               "spin button", "slider", "toggle", "switch"}


def wait_for_tree(what, condition, timeout=20.0):
    """wait_for, for AT-SPI: the tree may change under us while it builds."""
    def guarded():
        try:
            return condition()
        except Exception:
            return None
    return wait_for(what, guarded, timeout)


def walk(node, depth=0):
    yield node
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            yield from walk(child, depth + 1)


def named_controls(node, what):
    """The names of the controls under node; fails on any without one."""
    unnamed = []
    names = set()
    for n in walk(node):
        if n.roleName in NAMED_ROLES:
            label = (n.name or "").strip()
            names.add(label)
            # GTK falls back to the type name when nothing names a control
            if not label or (label.startswith("Gtk") and " " not in label):
                unnamed.append("%s under %s" % (n.roleName, n.parent.roleName))
    log(what, "named controls:", sorted(names))
    assert not unnamed, "%s: controls without an accessible name: %r" % (what, unnamed)
    return names


def must_be_named(node, what, must_have):
    """Every control under node is named (named_controls), and these among them."""
    names = named_controls(node, what)
    for name in must_have:
        assert name in names, "%r not found among %r" % (name, sorted(names))


def shows(node, role, name):
    return any(n.roleName == role and n.name == name for n in walk(node))


def check(language, expect):
    from dogtail.tree import root

    data_dir = tempfile.mkdtemp(prefix="xiaohe-crm-a11y-")
    env = dict(os.environ, LANGUAGE=language, LC_ALL="C.UTF-8")
    env.pop("GTK_A11Y", None)
    app = start_app([APP, "--data-dir", data_dir], env=env)
    try:
        node = wait_for_tree("the app on the accessibility bus",
                             lambda: root.application("xiaohe-crm"))

        # first the terms, in the language of the locale
        wait_for_tree("the terms' controls",
                      lambda: any(n.roleName == "check box" for n in walk(node)))
        assert any(n.roleName == "text" and expect["terms_start"] in
                   n.queryText().getText(0, n.queryText().characterCount)
                   for n in walk(node) if n.roleName == "text"), "terms text not shown"
        must_be_named(node, language + " terms", expect["terms_must_have"])
        accept_terms(language)

        window = focus_window(expect["title"])
        xdotool("key", "ctrl+n", "ctrl+f")
        wait_for_tree("the editor's fields",
                      lambda: shows(node, "text", expect["name_field"]))
        must_be_named(node, language + " main window", expect["must_have"])

        # the certification view
        xdotool("key", "Escape", "ctrl+3")
        wait_for_tree("the certification form",
                      lambda: shows(node, "text", expect["cert_field"]))
        must_be_named(node, language + " certification", expect["cert_must_have"])

        # the deals: the board, the deal editor (a window of its own), the list
        xdotool("key", "ctrl+2", "ctrl+n")
        wait_for_tree("the deal editor",
                      lambda: shows(node, "text", expect["deal_field"]))
        must_be_named(node, language + " deal editor", expect["deal_must_have"])
        # no window manager here: focus the editor's window as one would by clicking it
        focus_window(expect["deal_window"])
        xdotool("key", "Escape")
        wait_for_tree("the deal editor closed",
                      lambda: not shows(node, "push button", expect["deal_save"]))
        xdotool("windowfocus", "--sync", window)
        xdotool("key", "ctrl+l")
        must_be_named(node, language + " deals", expect["deals_must_have"])

        # the sign-in dialog: the main menu's first item while signed out
        xdotool("key", "F10")
        # the menu (a popover: a window named after the program); Sign In by its
        # mnemonic, not by the item under the pointer an earlier test left
        wait_for("the main menu", lambda: visible("xiaohe-crm"))
        xdotool("key", "i")
        focus_window(expect["sign_in_window"])
        wait_for_tree("the sign-in dialog",
                      lambda: shows(node, "text", expect["sign_in_must_have"][0]))
        must_be_named(node, language + " sign-in", expect["sign_in_must_have"])
        xdotool("key", "Escape")

        # the import dialog (Ctrl+I) on a file's preview: the columns' fields
        # (drop-downs), the 查重 choice, Import
        csv_path = os.path.join(data_dir, "import.csv")
        with open(csv_path, "w", encoding="utf-8") as f:
            f.write("姓名,手机\n张三,13812345678\n")
        wait_for("the sign-in dialog closed", lambda: not visible(expect["sign_in_window"]))
        xdotool("windowfocus", "--sync", window)
        xdotool("key", "ctrl+i")
        dialog = focus_window(expect["import_window"])
        xdotool("key", "ctrl+o")
        focus_window(expect["import_chooser"])
        xdotool("key", "ctrl+l")
        enter_path(csv_path)
        wait_for("the file chooser closed", lambda: not visible(expect["import_chooser"]))
        wait_for_tree("the import preview",
                      lambda: shows(node, "combo box", expect["import_must_have"][0]))
        must_be_named(node, language + " import", expect["import_must_have"])
        xdotool("windowfocus", "--sync", dialog)
        xdotool("key", "Escape")
    finally:
        app.terminate()
        app.wait(timeout=20)
        shutil.rmtree(data_dir, ignore_errors=True)


def seed_conflicts(db_path, contact_id):
    """What a sync round leaves for the conflicts dialog, written into the
    app's file while it is closed: a field a colleague changed too, and a
    change the server refused."""
    con = sqlite3.connect(db_path, timeout=5)
    try:
        with con:
            con.execute("INSERT INTO conflicts (kind, record_id, field, lost_value, kept_value,"
                        " created_at, other_user, other_at) VALUES ('contact', ?, 'mobile',"
                        " '\"13900139000\"', '\"13800138000\"', '2026-11-29T09:03:00Z',"
                        " 'wang', '2026-11-29T09:03:00Z')", (contact_id,))
            con.execute("INSERT INTO outbox (mutation_id, kind, record_id, op, fields_json,"
                        " state, attempts, last_error) VALUES (?, 'contact', ?, 'delete', '{}',"
                        " 'rejected', 1, 'contact_has_deals: the contact still has deals')",
                        (str(uuid.uuid4()), contact_id))
    finally:
        con.close()


def check_conflicts(language, expect):
    """The conflicts dialog, opened from the header bar's badge, with a
    conflict and a refused change in it: every control named."""
    from dogtail.tree import root

    data_dir = tempfile.mkdtemp(prefix="xiaohe-crm-a11y-")
    db_path = os.path.join(data_dir, "xiaohe-crm.sqlite3")
    app, _ = open_app(data_dir, language)
    try:
        add_contact_by_keys("Zhang San")
        rows = wait_for("the contact saved",
                        lambda: query(db_path, "SELECT id FROM contacts WHERE name = 'Zhang San'"))
        quit_app(app)
        seed_conflicts(db_path, rows[0][0])
        app = start_app_a11y(data_dir, language)
        node = wait_for_tree("the app on the accessibility bus",
                             lambda: root.application("xiaohe-crm"))
        badge = wait_for_tree("the conflicts badge",
                              lambda: node.findChild(lambda n: n.roleName == "push button"
                                                     and n.name == expect["badge"],
                                                     retry=False, requireResult=False))
        badge.doActionNamed("click")
        wait_for_tree("the conflicts dialog",
                      lambda: shows(node, "push button", expect["must_have"][0]))
        must_be_named(node, language + " conflicts", expect["must_have"])
        focus_window(expect["title"])
        xdotool("key", "Escape")
    finally:
        stop_app(app)
        shutil.rmtree(data_dir, ignore_errors=True)


def check_notices(language, expect):
    """A pricing notice the team's server sent, written into the app's file
    while it is closed: the bar that announces it and the Notices dialog it
    opens, every control named."""
    from dogtail.tree import root

    data_dir = tempfile.mkdtemp(prefix="xiaohe-crm-a11y-")
    db_path = os.path.join(data_dir, "xiaohe-crm.sqlite3")
    app, _ = open_app(data_dir, language)
    try:
        quit_app(app)
        con = sqlite3.connect(db_path, timeout=5)
        try:
            with con:
                con.execute("INSERT INTO notices (id, kind, title, body, published_at,"
                            " effective_at) VALUES (?, 'pricing', ?, ?, '2026-11-01T00:00:00Z',"
                            " '2027-01-01T00:00:00Z')",
                            (str(uuid.uuid4()), expect["notice"], expect["notice"]))
        finally:
            con.close()
        app = start_app_a11y(data_dir, language)
        node = wait_for_tree("the app on the accessibility bus",
                             lambda: root.application("xiaohe-crm"))
        read = wait_for_tree("the notice's bar",
                             lambda: node.findChild(lambda n: n.roleName == "push button"
                                                    and n.name == expect["read"],
                                                    retry=False, requireResult=False))
        must_be_named(node, language + " notices bar", [expect["read"]])
        read.doActionNamed("click")
        wait_for_tree("the notices dialog", lambda: visible(expect["title"]))
        must_be_named(node, language + " notices", [])
        assert any(n.name == expect["notice"] for n in walk(node)), "the notice is not listed"
        focus_window(expect["title"])
        xdotool("key", "Escape")
    finally:
        stop_app(app)
        shutil.rmtree(data_dir, ignore_errors=True)


def main():
    if not dogtail_ready():
        return SKIP

    check("en", {"title": "Xiaohe CRM", "name_field": "Name",
                 "terms_start": "Welcome to use Xiaohe CRM service",
                 "cert_field": "Unified social credit code",
                 "cert_must_have": ["Company name", "Legal representative", "Registered address",
                                    "Upload License", "Submit for Review"],
                 "terms_must_have": ["Agree", "Decline", "中文", "English",
                                     "I have read and agree to these terms"],
                 "deal_field": "Title", "deal_window": "New Deal", "deal_save": "Save Deal",
                 "deal_must_have": ["Title", "Customer", "Amount", "Stage", "Probability (%)",
                                    "Expected Close", "Notes", "Save Deal", "Cancel"],
                 "deals_must_have": ["New Deal", "Show as Board", "Show as List", "Deals"],
                 "sign_in_window": "Sign In to Team Server",
                 "import_window": "Import Contacts", "import_chooser": "Choose a File to Import",
                 "import_must_have": ["Field of column “姓名”", "Field of column “手机”",
                                      "Skip them", "Update the contact", "Keep both",
                                      "Import", "Choose Another File"],
                 "sign_in_must_have": ["Server address", "Company", "User name", "Password",
                                       "Sign In", "Cancel"],
                 "must_have": ["Name", "Mobile", "E-mail", "Notes", "New Contact",
                               "Search contacts", "Delete Contact", "Save"]})
    # Chinese labels carry their mnemonic letter in brackets: 姓名(_N) reads 姓名(N)
    check("zh_CN", {"title": "小禾CRM", "name_field": "姓名(N)",
                    "terms_start": "欢迎您使用小禾CRM的服务",
                    "cert_field": "统一社会信用代码(U)",
                    "cert_must_have": ["企业名称(C)", "法定代表人(L)", "注册地址(A)",
                                       "上传营业执照", "提交审核"],
                    "terms_must_have": ["同意", "拒绝", "中文", "English", "我已阅读并同意以上条款"],
                    "deal_field": "名称(T)", "deal_window": "新建商机", "deal_save": "保存商机",
                    "deal_must_have": ["名称(T)", "客户(C)", "金额(A)", "阶段(G)", "赢率（%）(P)",
                                       "预计成交日期(E)", "备注(O)", "保存商机", "取消"],
                    "deals_must_have": ["新建商机", "看板视图", "列表视图", "商机"],
                    "sign_in_window": "登录团队服务器",
                    "import_window": "导入联系人", "import_chooser": "选择要导入的文件",
                    "import_must_have": ["列“姓名”对应的字段", "列“手机”对应的字段",
                                         "跳过", "更新联系人", "两者都保留",
                                         "导入", "另选文件"],
                    "sign_in_must_have": ["服务器地址(V)", "公司(C)", "用户名(U)", "密码(P)", "登录",
                                          "取消"],
                    "must_have": ["姓名(N)", "手机(M)", "电子邮箱(E)", "备注(O)", "新建联系人",
                                  "搜索联系人", "删除联系人", "保存"]})
    check_conflicts("en", {"badge": "1 Conflict", "title": "Sync Conflicts",
                           "must_have": ["Keep This Value", "Use the Other Value", "Dismiss"]})
    check_conflicts("zh_CN", {"badge": "1 个冲突", "title": "同步冲突",
                              "must_have": ["保留此值(K)", "改用另一个值(O)", "忽略(D)"]})
    check_notices("en", {"read": "Read Notice", "title": "Notices",
                         "notice": "New prices from January"})
    check_notices("zh_CN", {"read": "阅读通知(R)", "title": "通知", "notice": "一月起的新价格"})
    print("6 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
