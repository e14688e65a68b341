#!/bin/sh
# Fails when a translatable string of the sources has no zh_CN translation,
# when po/zh_CN.po has fuzzy or untranslated entries or does not pass
# msgfmt --check, or when a file with translatable strings is missing from
# po/POTFILES.in.
#   tests/check-translations.sh SRCDIR
set -eu
src=${1:-.}
cd "$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# every file with translatable strings is listed
grep -rlE '(\b_|\bN_|\bC_|g_dngettext) ?\(|translatable="yes"|<_?(summary|description|name|p|li)>' \
  src data --include='*.c' --include='*.ui' --include='*.in' --include='*.gschema.xml' \
  | sort > "$tmp/has-strings"
grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort > "$tmp/listed"
missing=$(comm -23 "$tmp/has-strings" "$tmp/listed")
if [ -n "$missing" ]; then
  echo "not in po/POTFILES.in:"; echo "$missing"; status=1
fi
for f in $(cat "$tmp/listed"); do
  [ -f "$f" ] || { echo "po/POTFILES.in lists a missing file: $f"; status=1; }
done

# a fresh template from the sources, merged into the translation
xgettext --from-code=UTF-8 --add-comments --files-from=po/POTFILES.in --directory=. \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  -o "$tmp/xiaohe-crm.pot" 2>"$tmp/xgettext.log" \
  || { cat "$tmp/xgettext.log"; exit 1; }
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" po/zh_CN.po "$tmp/xiaohe-crm.pot"
stats=$(msgfmt --check --statistics -o /dev/null "$tmp/merged.po" 2>&1) || { echo "$stats"; exit 1; }
echo "zh_CN: $stats"
case "$stats" in
  *untranslated*|*fuzzy*)
    msgattrib --untranslated --only-fuzzy "$tmp/merged.po" 2>/dev/null || true
    msgattrib --untranslated "$tmp/merged.po" | grep -A1 '^msgid' | head -40
    status=1 ;;
esac
own=$(msgfmt --check --statistics -o /dev/null po/zh_CN.po 2>&1)
case "$own" in
  *untranslated*|*fuzzy*) echo "po/zh_CN.po itself: $own"; status=1 ;;
esac
exit $status
