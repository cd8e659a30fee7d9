#!/usr/bin/env bash
# Remove what install.sh installed: the helper's browser registrations and background
# service (`credit-guard uninstall`, options passed on: --purge also deletes your tally
# and settings, after asking), then the `credit-guard` command and the program folder.
# install.sh leaves a copy of this script in the program folder.
# Usage: bash uninstall.sh [--purge [--yes]]
set -euo pipefail
case "$(uname -s)" in
  Darwin) app="$HOME/Library/Application Support/Credit Guard/app" ;;
  *) app="$HOME/.local/share/credit-guard-app" ;;
esac
link="$HOME/.local/bin/credit-guard"
case "${LANGUAGE:-${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}}" in ja*) ja=1 ;; *) ja="" ;; esac
say() { if [ -n "$ja" ]; then echo "$2"; else echo "$1"; fi; }

if [ -x "$app/credit-guard" ]; then
  # Stops here when it fails (or --purge is declined): the program stays to try again.
  # The variable: what stays is said without the program and command, which go next.
  CREDIT_GUARD_UNINSTALL_SCRIPT=1 "$app/credit-guard" uninstall "$@"
  echo
else
  say "No program in $app: nothing to unregister." \
    "$app にプログラムがないため、登録の解除は行いません。"
fi
if [ -L "$link" ] && [ "$(readlink "$link")" = "$app/credit-guard" ]; then
  rm "$link"
fi
cd "$HOME" # not inside the folder about to go
rm -rf "$app"
if [ "$(uname -s)" = Darwin ]; then
  rmdir "$(dirname "$app")" 2>/dev/null || true # "Credit Guard", when nothing else is in it
fi
say "Removed the program ($app) and the credit-guard command." \
  "プログラム（$app）と credit-guard コマンドを削除しました。"
