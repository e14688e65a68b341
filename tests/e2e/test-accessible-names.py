#!/usr/bin/python3
# Every control a person can reach has an accessible name: walks the real
# app's AT-SPI tree (what a screen reader sees) with the contact editor open
# and the search bar shown, in English and in Chinese.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sys
import tempfile

from crmtest import (SKIP, accept_terms, dogtail_ready, focus_window, log, start_app, visible,
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
    finally:
        app.terminate()
        app.wait(timeout=20)
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
                    "deal_field": "标题(T)", "deal_window": "新建商机", "deal_save": "保存商机",
                    "deal_must_have": ["标题(T)", "客户(C)", "金额(A)", "阶段(G)", "赢率 %(P)",
                                       "预计成交(E)", "备注(O)", "保存商机", "取消"],
                    "deals_must_have": ["新建商机", "看板视图", "列表视图", "商机"],
                    "sign_in_window": "登录团队服务器",
                    "sign_in_must_have": ["服务器地址(V)", "公司(C)", "用户名(U)", "密码(P)", "登录",
                                          "取消"],
                    "must_have": ["姓名(N)", "手机(M)", "电子邮箱(E)", "备注(O)", "新建联系人",
                                  "搜索联系人", "删除联系人", "保存"]})
    print("2 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
