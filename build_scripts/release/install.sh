#!/usr/bin/env bash
# Install Credit Guard's helper for this user from this release folder (Linux, macOS; no
# Python needed): copy the program to the user's app folder, link the `credit-guard`
# command in ~/.local/bin, register the helper with every browser found and check the
# chain. The registration is the program's own (`credit-guard install`, options passed
# on); this script only copies and calls. The folders are launcher.app_folder()'s
# (native_host/installer/launcher.py). Undo it all with uninstall.sh.
# Usage: bash install.sh [credit-guard install options, e.g. --browser chrome]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
case "$(uname -s)" in
  Darwin) app="$HOME/Library/Application Support/Credit Guard/app" ;;
  *) app="$HOME/.local/share/credit-guard-app" ;;
esac
bin="$HOME/.local/bin"
case "${LANGUAGE:-${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}}" in ja*) ja=1 ;; *) ja="" ;; esac
say() { if [ -n "$ja" ]; then echo "$2"; else echo "$1"; fi; }

say "Copying the program to $app" "プログラムを $app にコピーしています"
mkdir -p "$(dirname "$app")"
rm -rf "$app.new"
cp -R "$here/credit-guard" "$app.new"
cp "$here/uninstall.sh" "$app.new/uninstall.sh"
rm -rf "$app"
mv "$app.new" "$app"

link="$bin/credit-guard"
if [ -e "$link" ] && [ ! -L "$link" ]; then
  say "$link is a file of yours: left as it is; the command is $app/credit-guard" \
    "$link はお使いのファイルのため、そのままにしました。コマンドは $app/credit-guard です"
else
  mkdir -p "$bin"
  ln -sfn "$app/credit-guard" "$link"
  case ":$PATH:" in
    *":$bin:"*) say "The credit-guard command: $link" "credit-guard コマンド: $link" ;;
    *)
      say "The credit-guard command: $link. Its folder is not on your PATH: add this line to your shell's start-up file (~/.bashrc, ~/.zshrc):" \
        "credit-guard コマンド: $link。このフォルダは PATH に入っていません。シェルの起動ファイル（~/.bashrc、~/.zshrc）に次の行を加えてください:"
      echo "    export PATH=\"\$HOME/.local/bin:\$PATH\""
      ;;
  esac
fi

"$app/credit-guard" install "$@"
echo
# What doctor finds is for the user to read; a browser still to install is no failure here.
"$app/credit-guard" doctor || true
