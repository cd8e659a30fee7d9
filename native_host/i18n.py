"""English and Japanese catalogs for every text the helper and the CLI write for people.

Both languages are first-class: each key exists in both catalogs with the same `{param}`
placeholders (tests/test_i18n.py checks). Unknown languages fall back to English; a
region tag such as "ja-JP" uses its base language. Lookups are plain dict reads so the
preflight path stays in the microseconds.

Instants are shown as a relative duration plus the UTC clock time ("in 3 h 20 min
(00:00 UTC)", 「3時間20分後（00:00 UTC）」): the extension renders local time itself.

How to add a text people read (helper or CLI):
1. Add a key to EN and to JA (at the end of your section, to keep merges easy) with the
   same {placeholders}. Write the Japanese a Japanese user would expect, not word for
   word. tests/test_i18n.py fails on a key missing from either, a placeholder that
   differs, or a Japanese text without Japanese (LANGUAGE_NEUTRAL lists the exceptions).
2. Print it in the user's language. In a CLI command: `client.text(key, **params)` when
   you hold a local.LocalClient, else `language = local.cli_language()` once, then
   `text(language, key, **params)` (pass `language` to the helpers that word things).
   The CLI's language is `--lang`, else the `language` setting, else the system's
   (context.system_language: LANGUAGE/LC_ALL/LC_MESSAGES/LANG, the Windows display
   language). Never print an English literal: tests/test_cli_language.py runs every
   command in Japanese and fails on an English sentence.
3. A command's --help: the English is its module docstring and its add_argument(help=…)
   texts; the Japanese is HELP_JA["command"] (the docstring's translation; its first line
   is the summary `credit-guard --help` lists) and HELP_JA["command --option"] (a
   positional: "command dest"). Change both together; tests/test_cli_language.py fails
   on a missing or orphaned entry. argparse's own usage errors are said again through the
   "args.*" keys (native_host/cli_parser.py).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Final
from unicodedata import east_asian_width

EN: Final[dict[str, str]] = {
    # Sentences are joined with this when several reasons apply to one step.
    "sentence_separator": " ",
    # Operations, as they read in the middle of a sentence.
    "op.chat": "AI chat",
    "op.search": "search",
    "op.image": "image generation",
    "op.video": "video generation",
    "op.audio": "audio generation",
    "op.analysis": "data analysis",
    "op.slides": "slide creation",
    "op.sheets": "sheet creation",
    "op.agent": "agent task",
    "op.other": "operation",
    # Side windows the site enforces apart from credits.
    "window.5h": "5-hour",
    "window.7d": "7-day",
    # Credit amounts.
    "unit.credit": "{n} credit",
    "unit.credits": "{n} credits",
    # Durations and instants.
    "time.seconds": "{s} s",
    "time.minutes": "{m} min",
    "time.hours": "{h} h",
    "time.hours_minutes": "{h} h {m} min",
    "time.days": "{d} d",
    "time.days_hours": "{d} d {h} h",
    "time.clock": "{time} UTC",
    "reset.in": "in {duration} ({clock})",
    "reset.imminent": "within a minute ({clock})",
    # Preflight (advisor.py).
    "advice.reason.exceeds_remaining": (
        "This {operation} is estimated at {cost}, but you have {remaining} left."
    ),
    "advice.reason.window_exhausted": (
        "The {window} {operation} limit has been reached; it resets {reset}."
    ),
    "advice.reason.heavy": "This {operation} is a heavy operation: about {cost}.",
    "advice.reason.below_reserve": (
        "Afterwards you would have about {after} left, below your reserve of {reserve}"
        " ({percent}% of {allowance})."
    ),
    "advice.tip.specific_prompt": (
        "Make the prompt specific (subject, style, composition, details): vague prompts"
        " lead to regenerations, and each one spends credits again."
    ),
    "advice.message.ok": "This {operation} costs about {cost}; you will have {after} left.",
    "advice.message.free": "This {operation} uses no credits on your plan.",
    "advice.message.warn_heavy": ("This {operation} will use about {cost} of your {remaining}."),
    "advice.message.warn_reserve": (
        "This {operation} would leave you about {after}, below your reserve of {reserve}."
    ),
    "advice.message.stop": (
        "Not enough credits: this {operation} needs about {cost} and you have {remaining} left;"
        " credits reset {reset}."
    ),
    "advice.message.stop_window": (
        "The {window} {operation} limit has been reached; it resets {reset}."
    ),
    # Diagnosis (diagnosis.py): why each step applies, then how to do it.
    "diag.wait_rate_limit.why.rate_limited": (
        "Genspark is rate-limiting this browser: its bot protection reacts to rapid requests."
    ),
    "diag.wait_rate_limit.why.rate_limited_strict": (
        'Genspark reported its stricter rate limit ("cf2"), which lasts longer.'
    ),
    "diag.wait_rate_limit.why.burst": (
        "{count} requests in the last minute: fast enough to trip Genspark's bot protection."
    ),
    "diag.wait_rate_limit.how": (
        "Wait {wait} without sending anything, try once, then send requests more slowly."
    ),
    "diag.reload.why.mismatch": (
        "The page says your credits are used up, but {remaining} should be left:"
        " the page may be showing an old state."
    ),
    "diag.reload.why.default": "Reloading fixes most temporary glitches.",
    "diag.reload.how": "Reload the Genspark tab (F5, or ⌘R on a Mac) and try again.",
    "diag.check_status.why.server_error": "Genspark answered with a server error (HTTP {codes}).",
    "diag.check_status.why.overloaded": (
        "The page reports that Genspark's servers are overloaded or unavailable."
    ),
    "diag.check_status.why.challenge": (
        "A Cloudflare check page appeared instead of Genspark, which happens during"
        " incidents and on networks the site distrusts."
    ),
    "diag.check_status.why.default": (
        "An outage on Genspark's side looks like this from the browser."
    ),
    "diag.check_status.how.challenge": (
        "If the tab asks you to confirm you are human, do it there yourself."
    ),
    "diag.check_status.how": (
        "Check Genspark's status page or official accounts for an outage; if there is one,"
        " wait a few minutes and try again."
    ),
    "diag.clear_cache.why.mismatch": (
        "If the page still shows no credits after a reload, the browser's cached copy of"
        " the site may be stale."
    ),
    "diag.clear_cache.why.default": (
        "A stale cached copy of the site can break it after Genspark updates."
    ),
    "diag.clear_cache.how": (
        "First clear only genspark.ai's cache and reload (Credit Guard's button does it and"
        " keeps you signed in; in Firefox it reloads the page skipping the cache). If that"
        " does not help, clear genspark.ai's site data: that also deletes its cookies and"
        " saved data, which signs you out of Genspark, so you log in again afterwards."
    ),
    "diag.relogin.why.signed_out": "Genspark answered as if you were signed out ({seen}).",
    "diag.evidence.signed_out_text": "a signed-out message on the page",
    "diag.relogin.why.mismatch": "An expired session can make the account look empty.",
    "diag.relogin.why.clock_ahead": (
        "Your computer's clock is {amount} ahead of Genspark's server; sign-in sessions"
        " and security checks depend on the correct time."
    ),
    "diag.relogin.why.clock_behind": (
        "Your computer's clock is {amount} behind Genspark's server; sign-in sessions"
        " and security checks depend on the correct time."
    ),
    "diag.relogin.why.default": "An expired sign-in often shows up as requests that fail quietly.",
    "diag.relogin.how.clock": (
        "First set the clock to update automatically (network time) in the system settings."
    ),
    "diag.relogin.how": "Log out of Genspark, then log in again.",
    "diag.resync.why.stale": (
        "Sync with your other devices is out of date, so the tally may miss their usage."
    ),
    "diag.resync.why.error": (
        "Sync with your other devices is failing, so the tally may miss their usage."
    ),
    "diag.resync.why.other_devices": (
        "Another device or the Genspark app may have used credits this tally has not seen yet."
    ),
    "diag.resync.why.page_zero": (
        "Genspark shows no credits left while the tally shows {remaining}: usage from"
        " another device or the app probably has not reached the tally."
    ),
    "diag.resync.how": (
        "In Credit Guard's popup, open Devices and press Sync now (or run credit-guard sync"
        " now); check that your other devices and the sync hub or shared folder are running."
    ),
    "diag.disable_vpn.why.vpn": (
        "A VPN or tunnel is active ({names}): Genspark's bot protection can block or"
        " rate-limit unusual networks."
    ),
    "diag.disable_vpn.why.proxy": (
        "A proxy is configured ({names}): requests through it can look unusual to"
        " Genspark's bot protection."
    ),
    "diag.disable_vpn.how": (
        "Turn the VPN or proxy off for a moment (or exclude genspark.ai from it), then"
        " reload the tab."
    ),
    "diag.restart_app.why.default": (
        "Restarting the browser clears stuck connections and extension state."
    ),
    "diag.restart_app.how": (
        "Close every browser window, open the browser again and go to Genspark."
    ),
    "diag.wait_reset.why.page_zero": "Genspark shows a balance of {balance}.",
    "diag.wait_reset.why.tally_empty": (
        "The tally shows {remaining} left, less than the cheapest operation costs."
    ),
    "diag.wait_reset.why.page_says": "Genspark says your credits are used up.",
    "diag.wait_reset.why.window": "The {window} image generation limit has been reached.",
    "diag.wait_reset.how.credits": "Your credits reset {reset}.",
    "diag.wait_reset.how.credits_unknown": (
        "Free credits reset once a day, usually at 00:00 UTC (09:00 in Japan)."
    ),
    "diag.wait_reset.how.window": "The {window} limit resets {reset}.",
    "diag.wait_reset.how.window_unknown": "The {window} limit resets within {window_length}.",
    "diag.use_alternative.why": "Another assistant lets you keep working in the meantime.",
    "diag.use_alternative.how": (
        "Meanwhile, use another assistant; Credit Guard's popup lists your alternatives."
    ),
    "diag.upgrade.why": "A paid plan gives a much larger monthly allowance.",
    "diag.upgrade.how": (
        "If you run out often, consider Plus or Pro on Genspark's pricing page; paid plans"
        " can also buy extra credit packs."
    ),
    # The CLI: accounts, `log --undo`, `forget` (native_host/commands/).
    "cli.not_email": (
        "{account} is not an e-mail address: give the e-mail of the Genspark account,"
        " such as me@example.com."
    ),
    "cli.log.recorded": "Recorded {operation} for {account} as event {event_id}.",
    "cli.log.undo_hint": "To take it back: credit-guard log --undo {event_id}",
    "cli.log.needs": (
        "Give --account and --operation to record usage, or --undo EVENT_ID to take an entry back."
    ),
    "cli.log.undo_alone": (
        "--undo takes no other option: the event already names its account and operation."
    ),
    "cli.log.undone": (
        "Undone: {operation} for {account} at {at} (event {event_id}); it no longer counts."
    ),
    "cli.log.already_undone": "Event {event_id} was already undone; nothing changed.",
    "cli.log.unknown_event": (
        "No usage event {event_id} in the ledger: check the id that credit-guard log printed."
    ),
    "cli.forget.confirm": (
        "Forget {account}? Its usage, balance readings and settings recorded so far will"
        " no longer appear in the status, the popup or the tally, on this device and on"
        " the devices it syncs with. Usage after this starts the account afresh."
    ),
    "cli.forget.prompt": "Type y to forget it, anything else to keep it:",
    "cli.forget.done": "Forgot {account}.",
    "cli.forget.kept": "Nothing was forgotten.",
    "cli.forget.unknown": "No account {account} in the tally. Accounts: {accounts}.",
    # `status`: usage past the period's credits (allowance plus top-ups).
    "cli.status.over_by": ", over by {n}",
    # The data folder cannot hold the ledger (errors.HostError.for_people; the popup shows it).
    "storage.folder_unusable": (
        "Credit Guard cannot keep its records in {folder} ({reason}). Make that folder"
        " writable, or move away what is in its place, or set CREDIT_GUARD_HOME to a folder"
        " you can write to. Nothing was recorded; the helper tries again with each request."
    ),
    # The installer (build_scripts/install.py) and `credit-guard install`.
    "install.step.env": "Preparing the helper's Python environment in {venv}…",
    "install.env.failed": ("Could not install the helper: pip failed. Its full output is in {log}"),
    "install.step.launcher": "Making the credit-guard command…",
    "install.launcher.ready": "{path}: `credit-guard` now works in a new terminal.",
    "install.launcher.not_on_path": (
        "Its folder {folder} is not on your PATH, so a new terminal will not find"
        " `credit-guard` by name. Run it by its full path ({path} status), or add the"
        " folder to your PATH with this line in ~/.bashrc, ~/.zshrc or ~/.profile,"
        " then open a new terminal:"
    ),
    "install.launcher.occupied": (
        "{path} is another program's and was left alone; run Credit Guard as {program}."
    ),
    "install.step.demo": (
        "The helper at work on a simulated Genspark day (no account needed; your data is"
        " not touched):"
    ),
    "install.step.browsers": "Registering the helper with your browsers…",
    "install.step.check": "Checking the whole chain (credit-guard doctor)…",
    "install.check.ok": "Every check passed.",
    "install.check.problems": (
        "Something still needs fixing: run `credit-guard doctor` to see what, and how."
    ),
    "install.check.skipped": "Skipped: no browser is registered yet.",
    "install.done": (
        "Done. Next: load the extension (the steps above), open genspark.ai, and see your"
        " credits on the extension's toolbar button or with `credit-guard status`."
    ),
    "install.done_no_browser": (
        "Done. Next: install one of the browsers named above and open it once, then run"
        " `credit-guard install` to register the helper with it and see how to load the"
        " extension."
    ),
    "install.browser_demo": (
        "To watch the extension itself in a browser (a local fake Genspark, no account):"
        " bash build_scripts/demo_browser.sh (--lang ja for Japanese). Its first run"
        " installs Playwright."
    ),
    "install.host": "Host program: {path}",
    "install.no_browser": (
        "No supported browser found. Credit Guard works with Google Chrome, Chromium,"
        " Microsoft Edge, Brave, Vivaldi and Firefox. Install one (for example Chrome from"
        " https://www.google.com/chrome/ or Firefox from https://www.mozilla.org/firefox/),"
        " open it once, then run `credit-guard install` again. To register a browser this"
        " check does not see: credit-guard install --browser NAME."
    ),
    "install.load.title": "Next, load the extension:",
    "install.load.chromium": (
        "In {browsers}: open chrome://extensions (edge://extensions in Edge), turn on"
        ' "Developer mode", click "Load unpacked" and choose the folder'
    ),
    "install.load.chromium_id": (
        "Its id must be {extension_id}; if another id shows, run"
        " `credit-guard install --extension-id <that id>`."
    ),
    "install.load.firefox": ("In Firefox: build its version first:"),
    "install.load.firefox_open": (
        'Then open about:debugging, click "This Firefox", then "Load Temporary Add-on…" and choose'
    ),
    "install.load.firefox_temporary": (
        "A temporary add-on is gone when Firefox restarts: load it again after each"
        " restart. To keep it installed, sign it: docs/guide/install-extension.md says how."
    ),
    "install.load.doctor": "Then run `credit-guard doctor` to check the whole chain.",
    # A frozen helper from a release: the extension's packages are beside the program.
    "install.load.firefox_package": (
        'In Firefox: open about:debugging, click "This Firefox", then "Load Temporary'
        ' Add-on…" and choose'
    ),
    "install.load.no_package": (
        "This program came without the extension's packages: a release of Credit Guard"
        " has them in credit-guard/extension/, and docs/guide/install-extension.md says"
        " how to build and load them."
    ),
    # `credit-guard uninstall`.
    "uninstall.nothing": "Nothing to remove: no Credit Guard registration was found.",
    "uninstall.data_kept": (
        "Your tally and settings were kept in {folder}. To delete them too:"
        " credit-guard uninstall --purge"
    ),
    "uninstall.purge.confirm": (
        "Delete {folder}, with the whole credit tally (every account's usage, balances and"
        " settings) and the helper's log? This cannot be undone; other devices you sync"
        " with keep their own copy."
    ),
    "uninstall.purge.prompt": "Type y to delete it, anything else to keep everything:",
    "uninstall.purge.kept": "Nothing was removed; your data is still in {folder}.",
    "uninstall.purge.done": "Deleted {folder}.",
    "uninstall.purge.absent": "No data folder at {folder}: nothing to delete.",
    "uninstall.purge.foreign": (
        "{folder} holds files Credit Guard did not make ({names}); it was left as it is."
        " Delete what you no longer need by hand."
    ),
    "uninstall.purge.secret": "Removed the sync secret from the system keyring.",
    "uninstall.stays.title": "Still on this computer, and how to remove each:",
    "uninstall.stays.program": (
        "The helper program and its Python environment, in {folder}: delete that folder"
        " (rm -rf {folder})."
    ),
    "uninstall.stays.launcher": "The credit-guard command {path}: rm {path}",
    "uninstall.stays.chromium": (
        "The extension in Chrome, Edge, Brave or Vivaldi: open chrome://extensions"
        ' (edge://extensions in Edge) and click "Remove" on Credit Guard.'
    ),
    "uninstall.stays.firefox": (
        "The extension in Firefox: open about:addons and remove Credit Guard (a temporary"
        " add-on is gone anyway when Firefox restarts)."
    ),
    "uninstall.stays.release": (
        "The program, in {folder}: {command} removes it and the credit-guard command."
    ),
    "uninstall.stays.frozen": "The program, in {folder}: delete that folder.",
    "uninstall.data_kept_script": (
        "Your tally and settings stay in {folder}, for a later install: delete that folder"
        " to remove them. (With --purge this script removes them too, and the sync secret.)"
    ),
    # The CLI's frame: `credit-guard --help`, argparse's words (native_host/cli_parser.py).
    "cli.usage": "usage: credit-guard [--version] [--help] [--lang en|ja] COMMAND [options]",
    "cli.commands": "Commands:",
    "cli.help_hint": "`credit-guard COMMAND --help` shows a command's options and an example.",
    "cli.unknown_command": "credit-guard: unknown command {name}",
    "cli.lang_invalid": "credit-guard: --lang takes en or ja, not {given}.",
    "args.usage": "usage:",
    "args.help": "show this help message and exit",
    "args.heading.positional": "positional arguments",
    "args.heading.options": "options",
    "args.error": "{prog}: error: {message}",
    "args.required": "the following arguments are required: {names}",
    "args.unrecognized": "unrecognized arguments: {args}",
    "args.invalid_choice": "argument {name}: invalid choice: {value} (choose from {choices})",
    "args.expected_one": "argument {name}: expected one argument",
    "args.expected_some": "argument {name}: expected at least one argument",
    "args.not_number": "argument {name}: {value} is not a number",
    "args.invalid_value": "argument {name}: invalid value: {value}",
    "args.no_value": "argument {name}: takes no value, but was given {value}",
    "args.ambiguous": "ambiguous option: {option} could match {matches}",
    # `credit-guard status` (and the tallies `log` and `demo` print).
    "status.no_account": (
        "No Genspark account seen yet: open genspark.ai with the extension loaded,"
        " or record usage by hand with `credit-guard log`."
    ),
    "status.label.account": "Account",
    "status.label.plan": "Plan",
    "status.label.remaining": "Remaining",
    "status.label.used": "Used",
    "status.label.by_device": "by device",
    "status.label.by_operation": "by operation",
    "status.label.site_balance": "Site balance",
    "status.label.pace": "At this pace",
    "status.label.credits_return": "Credits return",
    "status.label.window": "{window} window",
    "status.plan": "{plan} ({allowance}, period from {start})",
    "status.remaining": "{remaining} of {allowance}",
    "status.other_devices": "other devices",
    "status.site_balance": "{balance} at {time}",
    "status.window": "{balance} left, resets {reset}",
    "status.pace.early": "too early in the period to tell",
    "status.pace.out": "no credits left",
    "status.pace.rate": "{credits} an hour",
    "status.pace.lasts": "lasts until the reset",
    "status.pace.lasts_at": "lasts until the reset ({rate})",
    "status.pace.runs_out": "out around {clock}, {before} before the reset ({rate})",
    "window.day": "daily",
    "window.month": "monthly",
    "window.total": "total",
    # The advisor's verdict and where its estimate comes from, as `demo` shows them.
    "advice.level.ok": "go ahead",
    "advice.level.warn": "caution",
    "advice.level.stop": "STOP",
    "advice.source.learned": "learned from your usage",
    "advice.source.default": "default estimate",
    "advice.source.plan": "free on your plan",
    # `credit-guard demo`.
    "demo.hello": "Helper {version} answering (device {device}).",
    "demo.step.image": "1. The page shows 100 credits; you generate an image, the page shows 60.",
    "demo.step.phone": (
        "2. Your phone uses 15 credits the extension never saw; the page now shows 45."
    ),
    "demo.step.video": "3. You ask for a video. Before anything is sent, the page asks the helper:",
    "demo.verdict": "Verdict: {level}. Estimated cost {cost} ({source}); {remaining} left.",
    "demo.alternatives": "Alternatives: {names}",
    "demo.step.diagnose": "4. The page says credits are used up, though the tally says 45 remain:",
    "demo.done": "Nothing was written to your own data: the demo used a temporary directory.",
    # `credit-guard doctor` (the text report; --json stays English for programs).
    "doctor.mark.ok": "OK",
    "doctor.mark.fail": "FAIL",
    "doctor.mark.warn": "WARN",
    "doctor.fix": "fix: {fix}",
    "doctor.passed": "All checks passed.",
    "doctor.failed": "Some checks failed; see above.",
    "doctor.check.browsers": "browsers",
    "doctor.check.manifest": "{browser}: manifest",
    "doctor.check.manifest_json": "{browser}: manifest JSON",
    "doctor.check.manifest_content": "{browser}: manifest content",
    "doctor.check.host_program": "{browser}: host program",
    "doctor.check.hello": "host answers hello ({host})",
    "doctor.check.keyring": "keyring",
    "doctor.check.data_folder": "data folder",
    "doctor.browsers.none": "no supported browser found ({browsers})",
    "doctor.browsers.fix": "install one, or name it with --browser",
    "doctor.reinstall": "run: {command}",
    "doctor.manifest.none": "none found in {places}",
    "doctor.manifest.unreadable": "not readable as JSON: {error}",
    "doctor.manifest.wrong_id": "it lets in {allowed}, not the extension id {wanted}",
    "doctor.manifest.lets_in": "lets in {ids}",
    "doctor.host_program.fix": (
        "{reinstall} (add --host-path PATH if the host program is elsewhere)"
    ),
    "doctor.hello.run_by_hand": "run the host by hand to see its error output",
    "doctor.hello.cannot_start": "the host could not be started: {error}",
    "doctor.hello.exited": "the host exited without replying",
    "doctor.hello.timeout": "no reply within {seconds} s",
    "doctor.hello.bad_reply": "unreadable reply: {error}",
    "doctor.hello.ended": "{problem} (exit status {code})",
    "doctor.hello.said": "{problem}; it said: {said}",
    "doctor.hello.not_object": "reply is not a JSON object: {reply}",
    "doctor.hello.error": "host replied with an error: {error}",
    "doctor.hello.see_log": "see the helper log",
    "doctor.hello.mismatch": "id {id}, protocol {protocol}",
    "doctor.hello.mismatch_fix": (
        "expected id 'doctor' and protocol {protocol}; reinstall the helper"
    ),
    "doctor.hello.ok": "host_version {version}, protocol {protocol}",
    "doctor.keyring.sync_only": "{detail} (needed only to sync between devices)",
    "doctor.data_folder.fix": (
        "make it writable, move away what is in its place, or set CREDIT_GUARD_HOME"
    ),
    "doctor.data_folder.ok": "{folder} is writable and its ledger opens",
    # A frozen helper checks that the links lead to it (the program a release installed).
    "doctor.check.host_installed": "{browser}: this program",
    "doctor.host_installed.ok": "the manifest names this program",
    "doctor.host_installed.other": "the manifest names {host}, not this program ({program})",
    "doctor.host_installed.fix": "to have the browser start this program: {command}",
    "doctor.check.command": "credit-guard command",
    "doctor.command.ok": "{path} starts this program",
    "doctor.command.missing": "not found on PATH (this program is {program})",
    "doctor.command.other": "{path} is another program than this one ({program})",
    "doctor.command.fix": (
        "put {folder} on your PATH (the release's install script, install.sh or install.ps1,"
        " says how), then open a new terminal"
    ),
    "doctor.command.other_fix": (
        "run the install script (install.sh, install.ps1) of the release you mean to use:"
        " it points the command at its program"
    ),
    # What is wrong with a registration (installer/, shown by doctor and install).
    "host_program.not_absolute": "{path} is not an absolute path",
    "host_program.missing": "{path} does not exist",
    "host_program.not_file": "{path} is not a file",
    "host_program.not_executable": "{path} is not executable (chmod +x it)",
    "manifest.not_object": "the manifest is not a JSON object",
    "manifest.wrong_name": "name is {found}, expected {expected}",
    "manifest.wrong_type": "type is {found}, expected 'stdio'",
    "manifest.path_not_absolute": "path {path} is not an absolute path",
    "manifest.none_allowed": "{field} is missing or empty",
    "manifest.wildcard": "{field} contains {entry}: wildcards are never allowed",
    "manifest.not_origin": "{field} contains {entry}, not chrome-extension://<32 letters a–p>/",
    "manifest.not_firefox_id": "{field} contains {entry}, not a Firefox add-on id",
    # The keyring probe (keystore.probe, shown by doctor).
    "keyring.none": (
        "no usable keyring backend ({backend}); install and unlock one (GNOME Keyring or"
        " KWallet on Linux; macOS Keychain and Windows Credential Locker work out of the box)"
        " or choose one with PYTHON_KEYRING_BACKEND"
    ),
    "keyring.failed": "keyring backend {backend} failed: {error}",
    "keyring.forgets": "keyring backend {backend} does not keep what is stored in it",
    "keyring.works": "keyring backend {backend} works; no group secret stored yet",
    "keyring.works_stored": "keyring backend {backend} works; a group secret is stored",
    # Reading what people type (native_host/cli_input.py): what was wrong, the form, an example.
    "input.bool": "{value} is not a yes or a no: give yes, no, on, off, true or false.",
    "input.number": "{value} is not a number: write it in digits, such as 20 or 2.5.",
    "input.number_range": (
        "{value} is outside what is accepted: give a number from {minimum} to {maximum}."
    ),
    "input.whole_range": (
        "{value} is not accepted: give a whole number from {minimum} to {maximum}."
    ),
    "input.instant": (
        "{value} is not a time Credit Guard can read: give the date and time in your local"
        " time, such as 2026-11-24 09:30, or just 09:30 for today (add Z or +09:00 for"
        " another zone)."
    ),
    "input.instant_too_old": (
        "{value} is before {year}: give the date and time the usage happened, such as"
        " 2026-11-24 09:30."
    ),
    "input.instant_future": (
        "{value} is in the future ({when}; it is now {now}): give the time the usage happened."
    ),
    "input.reset_time": (
        "{value} is not a time of day: give hours and minutes in your local time, such as"
        " 9:00 or 21:30 (add UTC or +09:00 for another zone)."
    ),
    "input.choice": "{value} is not accepted: give one of {choices}.",
    "input.too_many": "{value} has too many numbers: give at most {most}.",
    "input.thresholds": (
        "{value} is not a list of percentages: give up to 10 whole numbers from 1 to 99,"
        " separated by commas, such as 50,20,10."
    ),
    "input.alternatives": (
        "{value} is not a list of assistants: give JSON, a list of objects each with a name"
        " and an https url."
    ),
    # `config` (native_host/commands/config.py): its errors, its output and its --help.
    "cli.config.unknown_setting": (
        "{name} is not a setting. Settings: {names}. credit-guard config --help explains each."
    ),
    "cli.config.needs_account": (
        "{names}: a setting of one account; name the account with --account, such as:"
        " credit-guard config {example}"
    ),
    "cli.config.global_setting": "{names}: a setting for every account; leave out --account.",
    "cli.config.not_assignment": (
        "{text} is not NAME=VALUE: write the setting, an equals sign and the value, such as"
        " reset_time=9:00."
    ),
    "cli.config.get_names": (
        "{text}: get takes setting names only, such as: credit-guard config get --account"
        " me@example.com billing_day. To change a setting, use set."
    ),
    "cli.config.reset_time_shown": "{local} local time ({zone}; {utc} UTC)",
    "cli.config.plan_figure": "the plan's own",
    "cli.config.help_account": "Settings of one account (give --account):",
    "cli.config.help_global": "Settings for every account (without --account):",
    "cli.config.help_default": "Default: {value}",
    "setting.plan": "Your Genspark plan, which sets the allowance and the period: {plans}.",
    "setting.allowance": (
        "Credits per period, when yours differ from the plan's: a number, or plan to go back"
        " to the plan's figure."
    ),
    "setting.period": (
        "How often the credits come back: day or month, or plan for the plan's own period."
    ),
    "setting.reset_time": (
        "When the credits come back, in your local time ({zone}): such as 9:00 or 21:30;"
        " add UTC or +09:00 to give it in another zone. Kept in UTC."
    ),
    "setting.billing_day": "The day of the month a monthly plan renews: 1 to 31.",
    "setting.reserve": (
        "Credits to keep in hand, in percent of the allowance (0 to 100): Credit Guard warns"
        " before an operation would leave less."
    ),
    "setting.language": "The language of Credit Guard's messages: auto (the system's), en or ja.",
    "setting.confirm_before_heavy": (
        "Ask before heavy operations (image, video, data analysis): yes or no."
    ),
    "setting.notifications": "Notify as the credits run low: yes or no.",
    "setting.notify_thresholds": (
        "When to notify, in percent of the allowance left: up to 10 whole numbers from 1 to"
        " 99, such as 50,20,10."
    ),
    "setting.alternatives": (
        "Other assistants to suggest when the credits run out: JSON, a list of objects each"
        " with a name and an https url."
    ),
    "setting.reset_nudge": (
        "Remind once before a daily reset that would leave many credits unused: yes or no."
    ),
    # `log` (native_host/commands/log.py): what it counted, and why.
    "cli.log.counted": "Counted {credits}, the cost you gave.",
    "cli.log.estimated_default": (
        "Counted {credits}: an estimate, Credit Guard's default for {operation} (no cost of"
        " yours is known yet). If you know the real cost, undo this entry and log it again"
        " with --credits."
    ),
    "cli.log.estimated_learned": (
        "Counted {credits}: an estimate learned from {samples} of your earlier {operation}"
        " operations. If you know the real cost, undo this entry and log it again with"
        " --credits."
    ),
    "cli.log.free_on_plan": "Counted nothing: {operation} uses no credits on your plan.",
    "cli.log.earlier_period": (
        "{at} is before the current period, which began {start}: the entry counts in the"
        " history of that day, and today's remaining credits are unchanged."
    ),
    # Sync membership (native_host/membership.py): the sync.* errors and status texts.
    "sync.problem.unreachable": (
        "The hub could not be reached: check that it is running, that its address is right"
        " and that this device is online."
    ),
    "sync.problem.tls": (
        "The secure connection to the hub failed: check its certificate, and whether its"
        " address should begin with wss:// or ws://."
    ),
    "sync.problem.unknown_group": (
        "The hub does not keep this group and did not take it in (it may be full): ask"
        " whoever runs the hub."
    ),
    "sync.problem.authentication": (
        "The hub and this device could not prove to each other that they belong to this"
        " group: check the hub's address, or leave and join again with a code from another"
        " device."
    ),
    "sync.problem.refused": (
        "The hub closed the connection (too many devices or requests at once, or a message"
        " too large): try again in a while."
    ),
    "sync.problem.protocol": (
        "The other side does not speak Credit Guard's sync protocol: check the hub's address,"
        " and that it runs a Credit Guard as recent as this one."
    ),
    "sync.problem.timeout": "The hub did not answer in time: try again.",
    "sync.problem.folder": (
        "The shared folder could not be read or written: check that it is there and that"
        " your sync tool (Syncthing, Dropbox, OneDrive, iCloud Drive) is running."
    ),
    "sync.problem.keyring": (
        "The group secret could not be read from the system keyring (locked, or no longer"
        " there): unlock the keyring, or leave the group and join again with a code from"
        " another device."
    ),
    "sync.pairing.empty": "The pairing code is empty: type or paste the code another device shows.",
    "sync.pairing.character": (
        "Symbol {position} of the pairing code is not one a code uses: check it symbol by"
        " symbol against the code the other device shows."
    ),
    "sync.pairing.checksum": (
        "The code is mistyped: check it symbol by symbol against the code the other device shows."
    ),
    "sync.pairing.version": (
        "This pairing code comes from a newer Credit Guard: update Credit Guard on this"
        " device, then join again."
    ),
    "sync.pairing.content": (
        "This pairing code carries no group: show the code again on the other device and"
        " enter it anew."
    ),
    "sync.already_paired": (
        "This device is already in a sync group: leave it first (credit-guard sync leave, or"
        " the Devices tab of the popup), then create or join another."
    ),
    "sync.not_paired": (
        "This device is in no sync group: create one with credit-guard sync init, or join one"
        " with credit-guard sync join and the code another device shows."
    ),
    "sync.pair.choose": (
        "To create a sync group, give either the address of a hub (ws:// or wss://) or a"
        " shared folder."
    ),
    "sync.hub_url_invalid": (
        "{hub_url} is not a hub address: give wss:// (or ws:// on this computer or your own"
        " network) and the hub's host and port, such as wss://hub.example.org:8765."
    ),
    "sync.folder_missing": (
        "{folder} is not a folder on this device: give the full path of the folder your sync"
        " tool keeps in step (Syncthing, Dropbox, OneDrive, iCloud Drive)."
    ),
    "sync.join.folder_needed": (
        "This group syncs through a shared folder: give the path of that folder on this device too."
    ),
    "sync.join.hub_code": "This group syncs through a hub: leave out the folder.",
    "sync.name_invalid": "A device's name is 1 to {most} characters (spaces at the ends removed).",
    "sync.keyring.none": (
        "Sync keeps its group secret in the system keyring, and no usable keyring was found"
        " ({backend}). Install and unlock one (GNOME Keyring or KWallet on Linux; macOS"
        " Keychain and Windows Credential Locker work out of the box), or choose one with"
        " PYTHON_KEYRING_BACKEND. credit-guard doctor checks it."
    ),
    "sync.keyring.failed": (
        "Sync keeps its group secret in the system keyring, and the keyring {backend}"
        " failed ({error}). Unlock it (on Linux, GNOME Keyring or KWallet must be running"
        " and unlocked), or choose another with PYTHON_KEYRING_BACKEND. credit-guard doctor"
        " checks it."
    ),
    "sync.keyring.lost": (
        "This device's group secret is no longer in the system keyring (or belongs to"
        " another group): leave the group and join again with a code from another device."
    ),
    "sync.settings_unreadable": (
        "The sync settings in {path} cannot be read ({reason}): leave the group"
        " (credit-guard sync leave), then create or join one again."
    ),
    # `credit-guard sync` (native_host/commands/sync.py).
    "cli.sync.created_hub": "Created a sync group {group}, through the hub {hub_url}.",
    "cli.sync.created_folder": "Created a sync group {group}, through the shared folder {folder}.",
    "cli.sync.code_again": "This device is in the sync group {group}. Its pairing code:",
    "cli.sync.share_hub": (
        "On each of your other devices, run credit-guard sync join with the code on the last"
        " line, or enter it in the Devices tab of the Credit Guard popup. Anyone with"
        " the code can join the group and read its records: give it only to your own"
        " devices."
    ),
    "cli.sync.share_folder": (
        "On each of your other devices, run credit-guard sync join with the code on the last"
        " line and --folder with that device's path of the shared folder, or enter both in"
        " the Devices tab of the Credit Guard popup. Anyone with the code can join the"
        " group and read its records: give it only to your own devices."
    ),
    "cli.sync.joined_hub": (
        "Joined the sync group {group}, through the hub {hub_url}. It syncs by itself"
        " while your browser is open (credit-guard sync run keeps it syncing without one);"
        " credit-guard sync now fetches what the other devices recorded right away."
    ),
    "cli.sync.joined_folder": (
        "Joined the sync group {group}, through the shared folder {folder}. It syncs by"
        " itself while your browser is open (credit-guard sync run keeps it syncing without"
        " one); credit-guard sync now fetches what the other devices recorded right away."
    ),
    "cli.sync.left": "Left the sync group: this device no longer syncs. Its records stay.",
    "cli.sync.leave.confirm": (
        "Leave the sync group {group}? This device stops syncing and forgets the group"
        " secret; what it recorded stays, here and on the other devices."
    ),
    "cli.sync.leave.prompt": "Type y to leave, anything else to stay:",
    "cli.sync.leave.kept": "Still in the sync group.",
    "cli.sync.named": "This device is now called {name}.",
    "cli.sync.synced_hub": "Synced with the hub {hub_url}: {sent} sent, {received} received.",
    "cli.sync.synced_folder": (
        "Synced through the shared folder {folder}: {sent} sent, {received} received."
    ),
    "cli.sync.refused": (
        "{refused} received could not be opened and were skipped (another group's, or damaged)."
    ),
    "cli.sync.needs_code": (
        "Give the pairing code another device shows: paste it when credit-guard sync join"
        " asks for it (and give --folder PATH for a group that syncs through a shared folder)."
    ),
    "cli.sync.code_prompt": "Pairing code (from another device):",
    "cli.sync.needs_name": "Give this device's name, such as: credit-guard sync name Laptop",
    "cli.sync.does_not_go": "{given} does not go with credit-guard sync {action}.",
    "cli.sync.off": (
        "Sync is off: this device is in no group. Create one with credit-guard sync init,"
        " or join one with credit-guard sync join CODE."
    ),
    "cli.sync.label.state": "Sync",
    "cli.sync.label.through": "Through",
    "cli.sync.label.group": "Group",
    "cli.sync.label.last_sync": "Last sync",
    "cli.sync.label.last_error": "Last failure",
    "cli.sync.label.this_device": "This device",
    "cli.sync.label.devices": "Other devices",
    "cli.sync.state.ok": "in step",
    "cli.sync.state.stale": "no sync for a while",
    "cli.sync.state.error": "the last sync failed",
    "cli.sync.through_hub": "the hub {hub_url}",
    "cli.sync.through_folder": "the shared folder {folder}",
    "cli.sync.never": "not yet",
    "cli.sync.ago": "{clock} ({duration} ago)",
    "cli.sync.unnamed": "(no name yet)",
    "cli.sync.device": "{name} ({id}), newest event {when}",
    "cli.sync.no_event": "none yet",
    "cli.sync.no_devices": "none heard of yet",
    "cli.sync.run.started": (
        "Staying in sync through {through}, until you press Ctrl+C. What this device and"
        " the others record is exchanged as it happens."
    ),
    "cli.sync.run.exchanged": "{clock} {sent} sent, {received} received",
    "cli.sync.run.in_step": "{clock} in step",
    "cli.sync.run.trouble": "{clock} not in step, trying again by itself: {problem}",
    "cli.sync.run.stopped": "Stopped syncing.",
    "cli.sync.serve.listening": (
        "The hub is listening at {url} and keeps its data in {db}. Press Ctrl+C to stop it."
    ),
    "cli.sync.serve.pair": (
        "To pair your devices through it: credit-guard sync init --hub {url} (from another"
        " machine, use this machine's name or address in place of the one shown)."
    ),
    "cli.sync.serve.stopped": "The hub stopped.",
    "cli.sync.serve.tls_pair": "Give both --tls-cert and --tls-key, or neither.",
    "cli.sync.serve.tls_unusable": "The TLS certificate and key cannot be used: {reason}",
    "cli.sync.serve.not_loopback": (
        "{host} reaches beyond this machine: give a TLS certificate and key (--tls-cert,"
        " --tls-key) so that devices connect with wss://, or --insecure to accept plain"
        " ws:// (what travels is sealed, but anyone on the network sees who syncs when)."
    ),
    "cli.sync.serve.cannot_listen": (
        "The hub cannot listen at {address}: {reason}. Another program may use that port:"
        " choose another with --port."
    ),
    "cli.sync.serve.bad_db": (
        "The hub cannot keep its data in {path}: {reason}. Choose another file with --db."
    ),
    # The background service (credit-guard service, doctor).
    "doctor.check.service": "background service",
    "service.description.run": "Credit Guard: keeps this device in sync with the browser closed",
    "service.description.serve": "Credit Guard: the sync hub of your devices",
    "service.manager.linux": "systemd's user manager (systemctl --user)",
    "service.manager.darwin": "launchd (launchctl)",
    "service.manager.win32": "the Task Scheduler (schtasks)",
    "service.absent": (
        "not installed: this device syncs only while a browser is open"
        " (credit-guard service install keeps it syncing without one)"
    ),
    "service.running": "running; installed in {file}; what it says: {log}",
    "service.stopped": "installed in {file}, but not running",
    "service.stopped.fix": "see why in {log}; once that is fixed, start it again: {restart}",
    "service.unknown": (
        "installed in {file}, but {manager} cannot be asked whether it runs"
        " (technical details: {reason})"
    ),
    "service.unknown.fix": "in a login session where {manager} runs: {manual}",
    "cli.service.does_not_go": "{given} does not go with credit-guard service {action}.",
    "cli.service.installed": (
        "The background service is installed and started: it runs {command} now and each"
        " time you log in, and starts it again if it fails."
    ),
    "cli.service.where": (
        "Its file: {file}. What it says: {log}. credit-guard service status (or credit-guard"
        " doctor) tells whether it runs; credit-guard service uninstall removes it."
    ),
    "cli.service.linger": (
        "To keep the hub running while you are logged out too, run once: loginctl enable-linger"
    ),
    "cli.service.written": "The background service's file is written: {file}.",
    "cli.service.kept_file": "The background service's file stays: {file}.",
    "cli.service.removed_file": "The background service's file is removed: {file}.",
    "cli.service.unreachable": (
        "But {manager} cannot be reached here, so nothing was started (technical details:"
        " {reason})."
    ),
    "cli.service.failed": "But {manager} refused (technical details: {reason}).",
    "cli.service.by_hand": "Finish by hand, in a login session where {manager} runs: {manual}",
    "cli.service.removed": "The background service is stopped and removed ({file}).",
    "cli.service.removed_unreachable": (
        "{manager} cannot be reached here (technical details: {reason}); without its file the"
        " service does not start again."
    ),
    "cli.service.none": "No background service is installed: nothing to remove.",
    # `credit-guard demo --browser` (devkit/browser_demo.py).
    "demo.browser.no_checkout": (
        "The browser demo runs from a copy of the Credit Guard source (it loads the"
        " extension/ folder and the development kit, devkit/), and this installation has"
        " none. In a copy of the source, run: bash build_scripts/demo_browser.sh"
    ),
    "demo.browser.no_playwright": (
        "The browser demo needs Playwright, which is not installed here. Install the demo"
        " extra in the source folder (bash build_scripts/venv.sh demo), or simply run"
        " bash build_scripts/demo_browser.sh, which does it once."
    ),
    "demo.browser.no_browser": (
        "Chromium not found: install it (Debian/Ubuntu: apt-get install chromium)"
        " or set CREDIT_GUARD_CHROMIUM to its path."
    ),
    "demo.browser.no_extension": (
        "The extension did not load in {browser}. Google Chrome 137 and later"
        " ignore --load-extension: install Chromium (apt-get install chromium) and run again."
    ),
    "demo.browser.mode.headless": "without a window",
    "demo.browser.mode.headed": "in a window",
    "demo.browser.start": (
        "Starting {browser} ({mode}) with a throw-away profile, the extension from"
        " extension/ and the helper; your own data is not touched."
    ),
    "demo.browser.balance": (
        "1. A Genspark video page (a local fake) shows {balance} credits; the helper"
        " has them in its tally and the toolbar badge shows {badge}."
    ),
    "demo.browser.held": (
        "2. You ask for a video: Credit Guard holds it before anything is sent and asks"
        " first. The site has received {sent} generation requests."
    ),
    "demo.browser.went": (
        "3. You click “Go on”: your request reaches the site exactly once"
        " ({sent} generation request) and the video is made."
    ),
    "demo.browser.exhausted": (
        "4. A second video: you go on, and the site says your credits are used up,"
        " though the tally says {left} remain. The page's troubleshooting panel says what"
        " to try, in order:"
    ),
    "demo.browser.popup": (
        "5. The popup shows the tally: {remaining}; used this period {used}"
        " (by device: {devices}; by operation: {operations})."
    ),
    "demo.browser.shots": "Screenshots:",
    # The headed demo's guide: a heading, three things to try, how to end.
    "demo.browser.headed": "The browser is yours now. Try:",
    "demo.browser.headed.dialog": (
        "the dialog on the page: “Go on” sends your video once, “Cancel” sends nothing;"
    ),
    "demo.browser.headed.toolbar": (
        "the Credit Guard icon in the toolbar: its badge shows the credits left, a click"
        " opens the popup (tally, settings, troubleshooting);"
    ),
    "demo.browser.headed.exhaust": (
        "press Enter here to make the fake site say your credits are used up, then send"
        " a prompt on the page: the troubleshooting panel appears."
    ),
    "demo.browser.headed.end": (
        "The browser reaches only the fake site. Close it, or press Ctrl-C here, to end."
    ),
    "demo.browser.now_exhausted": (
        "The fake site now says your credits are used up: send a prompt."
    ),
    "demo.browser.done": "Done: the profile and the helper's data were temporary and are gone.",
}

JA: Final[dict[str, str]] = {
    "sentence_separator": "",
    "op.chat": "AIチャット",
    "op.search": "検索",
    "op.image": "画像生成",
    "op.video": "動画生成",
    "op.audio": "音声生成",
    "op.analysis": "データ分析",
    "op.slides": "スライド作成",
    "op.sheets": "シート作成",
    "op.agent": "エージェントのタスク",
    "op.other": "操作",
    "window.5h": "5時間",
    "window.7d": "7日間",
    "unit.credit": "{n}クレジット",
    "unit.credits": "{n}クレジット",
    "time.seconds": "{s}秒",
    "time.minutes": "{m}分",
    "time.hours": "{h}時間",
    "time.hours_minutes": "{h}時間{m}分",
    "time.days": "{d}日",
    "time.days_hours": "{d}日{h}時間",
    "time.clock": "{time} UTC",
    "reset.in": "{duration}後（{clock}）",
    "reset.imminent": "1分以内（{clock}）",
    "advice.reason.exceeds_remaining": (
        "この{operation}には約{cost}が必要ですが、残りは{remaining}です。"
    ),
    "advice.reason.window_exhausted": (
        "{operation}の{window}制限に達しました。{reset}にリセットされます。"
    ),
    "advice.reason.heavy": "{operation}はクレジットを多く消費する操作です（約{cost}）。",
    "advice.reason.below_reserve": (
        "実行後の残りは約{after}となり、予備として残す{reserve}"
        "（{allowance}の{percent}%）を下回ります。"
    ),
    "advice.tip.specific_prompt": (
        "プロンプトは具体的に書きましょう（被写体・スタイル・構図・細部など）。"
        "曖昧なプロンプトは作り直しの原因になり、そのたびにクレジットを消費します。"
    ),
    "advice.message.ok": ("この{operation}で約{cost}を消費し、残りは{after}になります。"),
    "advice.message.free": "ご利用のプランでは、この{operation}にクレジットはかかりません。",
    "advice.message.warn_heavy": ("この{operation}は残り{remaining}のうち約{cost}を消費します。"),
    "advice.message.warn_reserve": (
        "この{operation}を実行すると残りは約{after}となり、予備の{reserve}を下回ります。"
    ),
    "advice.message.stop": (
        "クレジットが足りません。この{operation}には約{cost}が必要ですが、"
        "残りは{remaining}です。リセットは{reset}です。"
    ),
    "advice.message.stop_window": (
        "{operation}の{window}制限に達しています。リセットは{reset}です。"
    ),
    "diag.wait_rate_limit.why.rate_limited": (
        "Genspark がこのブラウザからのリクエストを制限しています"
        "（短時間に連続して送るとボット対策が働きます）。"
    ),
    "diag.wait_rate_limit.why.rate_limited_strict": (
        "Genspark がより厳しいレート制限（cf2）を報告しており、解除まで時間がかかります。"
    ),
    "diag.wait_rate_limit.why.burst": (
        "直近1分間に{count}件のリクエストがあり、Genspark のボット対策が働く頻度です。"
    ),
    "diag.wait_rate_limit.how": (
        "何も送信せずに{wait}待ってから一度だけ試し、その後は間隔をあけて送信してください。"
    ),
    "diag.reload.why.mismatch": (
        "ページにはクレジットを使い切ったと表示されていますが、まだ{remaining}"
        "残っているはずです。ページが古い状態のままかもしれません。"
    ),
    "diag.reload.why.default": "一時的な不具合の多くは再読み込みで直ります。",
    "diag.reload.how": (
        "Genspark のタブを再読み込み（F5、Mac では ⌘R）して、もう一度お試しください。"
    ),
    "diag.check_status.why.server_error": (
        "Genspark がサーバーエラー（HTTP {codes}）を返しました。"
    ),
    "diag.check_status.why.overloaded": (
        "Genspark のサーバーが混雑しているか、利用できない状態だとページに表示されています。"
    ),
    "diag.check_status.why.challenge": (
        "Genspark の代わりに Cloudflare の確認ページが表示されました。"
        "障害時や、サイトが不審とみなすネットワークから接続したときに起こります。"
    ),
    "diag.check_status.why.default": (
        "Genspark 側で障害が起きていると、ブラウザからはこのように見えます。"
    ),
    "diag.check_status.how.challenge": (
        "タブで「人間であることの確認」を求められたら、ご自身で操作してください。"
    ),
    "diag.check_status.how": (
        "Genspark のステータスページや公式アカウントで障害情報を確認し、"
        "障害中であれば数分待ってからもう一度お試しください。"
    ),
    "diag.clear_cache.why.mismatch": (
        "再読み込みしてもクレジットが表示されない場合は、"
        "ブラウザに保存されたサイトのキャッシュが古いのかもしれません。"
    ),
    "diag.clear_cache.why.default": (
        "Genspark の更新後、古いキャッシュが残っているとサイトが正しく動かないことがあります。"
    ),
    "diag.clear_cache.how": (
        "まず genspark.ai のキャッシュだけを削除して再読み込みしてください"
        "（Credit Guard のボタンで削除でき、ログインはそのままです。"
        "Firefox ではキャッシュを使わずに再読み込みします）。"
        "それでも直らない場合は genspark.ai のサイトデータを削除します。"
        "Cookie と保存データも消えるため Genspark からログアウトされ、"
        "あとでもう一度ログインが必要です。"
    ),
    "diag.relogin.why.signed_out": "Genspark がログアウト状態として応答しました（{seen}）。",
    "diag.evidence.signed_out_text": "ページ上のログアウト表示",
    "diag.relogin.why.mismatch": (
        "ログインの有効期限が切れていると、クレジットが空のように見えることがあります。"
    ),
    "diag.relogin.why.clock_ahead": (
        "パソコンの時計が Genspark のサーバーより{amount}進んでいます。"
        "ログインやセキュリティ確認は正しい時刻を前提にしています。"
    ),
    "diag.relogin.why.clock_behind": (
        "パソコンの時計が Genspark のサーバーより{amount}遅れています。"
        "ログインやセキュリティ確認は正しい時刻を前提にしています。"
    ),
    "diag.relogin.why.default": (
        "ログインの有効期限切れは、リクエストが何も表示されずに失敗する形で現れがちです。"
    ),
    "diag.relogin.how.clock": (
        "まずシステム設定で時刻を自動設定（ネットワーク時刻）にしてください。"
    ),
    "diag.relogin.how": "Genspark からいったんログアウトし、もう一度ログインしてください。",
    "diag.resync.why.stale": (
        "ほかの端末との同期が古いままのため、その端末での利用が集計に反映されていない可能性があります。"
    ),
    "diag.resync.why.error": (
        "ほかの端末との同期に失敗しているため、その端末での利用が集計に反映されていない可能性があります。"
    ),
    "diag.resync.why.other_devices": (
        "ほかの端末や Genspark アプリで、"
        "まだ集計に反映されていないクレジットが使われたのかもしれません。"
    ),
    "diag.resync.why.page_zero": (
        "Genspark では残りクレジットが0なのに、集計では{remaining}残っています。"
        "ほかの端末やアプリでの利用がまだ集計に届いていないと思われます。"
    ),
    "diag.resync.how": (
        "Credit Guard のポップアップの「デバイス」で「今すぐ同期」を押し（または"
        " credit-guard sync now を実行し）、ほかの端末や同期ハブ・共有フォルダーが"
        "動いているか確認してください。"
    ),
    "diag.disable_vpn.why.vpn": (
        "VPN またはトンネルが有効です（{names}）。"
        "Genspark のボット対策は、普段と違うネットワークからの接続を"
        "ブロックしたり制限したりします。"
    ),
    "diag.disable_vpn.why.proxy": (
        "プロキシが設定されています（{names}）。"
        "プロキシ経由のリクエストは Genspark のボット対策に不審とみなされることがあります。"
    ),
    "diag.disable_vpn.how": (
        "VPN やプロキシを一時的にオフにして（または genspark.ai を対象外にして）から、"
        "タブを再読み込みしてください。"
    ),
    "diag.restart_app.why.default": (
        "ブラウザを再起動すると、止まった接続や拡張機能の状態がリセットされます。"
    ),
    "diag.restart_app.how": (
        "ブラウザのウィンドウをすべて閉じてから起動し直し、Genspark を開いてください。"
    ),
    "diag.wait_reset.why.page_zero": "Genspark の残高表示は{balance}です。",
    "diag.wait_reset.why.tally_empty": (
        "集計上の残りは{remaining}で、いちばん安い操作にも足りません。"
    ),
    "diag.wait_reset.why.page_says": "Genspark にクレジットを使い切ったと表示されています。",
    "diag.wait_reset.why.window": "画像生成の{window}制限に達しました。",
    "diag.wait_reset.how.credits": "クレジットは{reset}にリセットされます。",
    "diag.wait_reset.how.credits_unknown": (
        "無料プランのクレジットは1日1回、通常は日本時間 9:00（00:00 UTC）にリセットされます。"
    ),
    "diag.wait_reset.how.window": "{window}制限は{reset}にリセットされます。",
    "diag.wait_reset.how.window_unknown": "{window}制限は{window_length}以内にリセットされます。",
    "diag.use_alternative.why": "その間もほかのサービスで作業を続けられます。",
    "diag.use_alternative.how": (
        "その間はほかの AI アシスタントをお使いください。"
        "Credit Guard のポップアップに代替サービスの一覧があります。"
    ),
    "diag.upgrade.why": "有料プランでは毎月のクレジットが大幅に増えます。",
    "diag.upgrade.how": (
        "クレジット切れが多い場合は、Genspark の料金ページで Plus や Pro をご検討ください。"
        "有料プランでは追加クレジットパックも購入できます。"
    ),
    "cli.not_email": (
        "{account} はメールアドレスではありません。"
        "Genspark アカウントのメールアドレス（例: me@example.com）を指定してください。"
    ),
    "cli.log.recorded": "{account} の{operation}を記録しました（イベント {event_id}）。",
    "cli.log.undo_hint": "取り消すには: credit-guard log --undo {event_id}",
    "cli.log.needs": (
        "利用を記録するには --account と --operation を、"
        "記録を取り消すには --undo EVENT_ID を指定してください。"
    ),
    "cli.log.undo_alone": (
        "--undo にはほかのオプションを付けられません"
        "（取り消すイベントにアカウントと操作が記録されています）。"
    ),
    "cli.log.undone": (
        "{account} の{operation}（{at}、イベント {event_id}）を取り消しました。"
        "集計には含まれません。"
    ),
    "cli.log.already_undone": (
        "イベント {event_id} はすでに取り消されています。何も変更していません。"
    ),
    "cli.log.unknown_event": (
        "台帳に利用イベント {event_id} はありません。"
        "credit-guard log が表示した ID を確認してください。"
    ),
    "cli.forget.confirm": (
        "{account} のこれまでの記録を消去しますか？"
        "記録済みの利用・残高・設定が、この端末と同期しているほかの端末の"
        "状況表示、ポップアップ、集計から消えます。今後の利用は新しい記録として数えられます。"
    ),
    "cli.forget.prompt": "消去するには y を、残すにはそれ以外を入力してください:",
    "cli.forget.done": "{account} の記録を消去しました。",
    "cli.forget.kept": "何も消去していません。",
    "cli.forget.unknown": (
        "集計に {account} というアカウントはありません。記録のあるアカウント: {accounts}"
    ),
    "cli.status.over_by": "、{n}超過",
    "storage.folder_unusable": (
        "Credit Guard の記録用フォルダ {folder} を使えません（{reason}）。"
        "このフォルダに書き込めるようにするか、同じ場所にあるものを移動してください。"
        "環境変数 CREDIT_GUARD_HOME で書き込める別のフォルダを指定することもできます。"
        "今回の内容は記録されていません。次のリクエストのときに再試行します。"
    ),
    # インストーラー（build_scripts/install.py）と `credit-guard install`。
    "install.step.env": "ヘルパーの Python 環境を {venv} に準備しています…",
    "install.env.failed": (
        "ヘルパーをインストールできませんでした（pip が失敗しました）。"
        "詳しい出力は {log} にあります。"
    ),
    "install.step.launcher": "credit-guard コマンドを用意しています…",
    "install.launcher.ready": (
        "{path}: 新しいターミナルで `credit-guard` が使えるようになりました。"
    ),
    "install.launcher.not_on_path": (
        "フォルダ {folder} が PATH に入っていないため、新しいターミナルでは"
        " `credit-guard` という名前では見つかりません。フルパスで実行する（{path} status）か、"
        "~/.bashrc、~/.zshrc または ~/.profile に次の行を加えてフォルダを PATH に入れ、"
        "新しいターミナルを開いてください:"
    ),
    "install.launcher.occupied": (
        "{path} は別のプログラムのものなので、そのままにしました。"
        "Credit Guard は {program} で実行してください。"
    ),
    "install.step.demo": (
        "Genspark の 1 日を模擬して、ヘルパーの働きをお見せします"
        "（アカウント不要。あなたのデータには触れません）:"
    ),
    "install.step.browsers": "ヘルパーをブラウザに登録しています…",
    "install.step.check": "全体のつながりを確認しています（credit-guard doctor）…",
    "install.check.ok": "すべての確認に合格しました。",
    "install.check.problems": (
        "まだ直すところがあります。`credit-guard doctor` で内容と直し方を確認してください。"
    ),
    "install.check.skipped": "省略しました（登録済みのブラウザがまだありません）。",
    "install.done": (
        "完了しました。次に、上の手順で拡張機能を読み込み、genspark.ai を開いてください。"
        "残りのクレジットは拡張機能のツールバーボタンか `credit-guard status` で確認できます。"
    ),
    "install.done_no_browser": (
        "完了しました。次に、上に挙げたブラウザのどれかをインストールして一度起動してから"
        " `credit-guard install` を実行してください。ヘルパーがそのブラウザに登録され、"
        "拡張機能の読み込み方が表示されます。"
    ),
    "install.browser_demo": (
        "拡張機能そのものの動きをブラウザで見るには（ローカルの模擬 Genspark、アカウント不要）:"
        " bash build_scripts/demo_browser.sh --lang ja"
        "（初回は Playwright をインストールします）"
    ),
    "install.host": "ヘルパーのプログラム: {path}",
    "install.no_browser": (
        "対応ブラウザが見つかりませんでした。Credit Guard は Google Chrome、Chromium、"
        "Microsoft Edge、Brave、Vivaldi、Firefox で使えます。いずれかをインストールして"
        "（たとえば Chrome は https://www.google.com/chrome/ 、Firefox は"
        " https://www.mozilla.org/firefox/ から）一度起動してから、もう一度"
        " `credit-guard install` を実行してください。ここで見つからないブラウザを登録するには:"
        " credit-guard install --browser 名前"
    ),
    "install.load.title": "次に、拡張機能を読み込んでください:",
    "install.load.chromium": (
        "{browsers} では: chrome://extensions（Edge では edge://extensions）を開き、"
        "「デベロッパー モード」をオンにして「パッケージ化されていない拡張機能を読み込む」"
        "（Load unpacked）をクリックし、次のフォルダを選びます"
    ),
    "install.load.chromium_id": (
        "ID は {extension_id} になるはずです。別の ID が表示されたら"
        " `credit-guard install --extension-id <その ID>` を実行してください。"
    ),
    "install.load.firefox": ("Firefox では: まず Firefox 版をビルドします:"),
    "install.load.firefox_open": (
        "次に about:debugging を開き、「この Firefox」→「一時的なアドオンを読み込む…」"
        "（Load Temporary Add-on）で次のファイルを選びます"
    ),
    "install.load.firefox_temporary": (
        "一時的なアドオンは Firefox を再起動すると消えるため、"
        "再起動のたびに読み込み直してください。"
        "再起動後も残すには署名します。手順は docs/guide/install-extension.ja.md にあります。"
    ),
    "install.load.doctor": "そのあと `credit-guard doctor` で全体のつながりを確認してください。",
    "install.load.firefox_package": (
        "Firefox では: about:debugging を開き、「この Firefox」→「一時的なアドオンを読み込む…」"
        "（Load Temporary Add-on）で次のファイルを選びます"
    ),
    "install.load.no_package": (
        "このプログラムには拡張機能のパッケージが付いていません。Credit Guard のリリースでは"
        " credit-guard/extension/ に入っています。ビルドと読み込みの手順は"
        " docs/guide/install-extension.ja.md にあります。"
    ),
    # `credit-guard uninstall`。
    "uninstall.nothing": "削除するものはありません（Credit Guard の登録は見つかりませんでした）。",
    "uninstall.data_kept": (
        "集計と設定は {folder} に残してあります。これも削除するには: credit-guard uninstall --purge"
    ),
    "uninstall.purge.confirm": (
        "{folder} を削除しますか？クレジットの集計すべて（全アカウントの利用・残高・設定）と"
        "ヘルパーのログが消え、元に戻せません。同期しているほかの端末には、"
        "それぞれの記録が残ります。"
    ),
    "uninstall.purge.prompt": "削除するには y を、すべて残すにはそれ以外を入力してください:",
    "uninstall.purge.kept": "何も削除していません。データは {folder} に残っています。",
    "uninstall.purge.done": "{folder} を削除しました。",
    "uninstall.purge.absent": "{folder} にデータフォルダはありません。削除するものはありません。",
    "uninstall.purge.foreign": (
        "{folder} には Credit Guard が作ったものではないファイル（{names}）があるため、"
        "そのままにしました。不要なものは手作業で削除してください。"
    ),
    "uninstall.purge.secret": "同期用の秘密鍵をシステムのキーリングから削除しました。",
    "uninstall.stays.title": "このコンピューターに残るものと、その削除方法:",
    "uninstall.stays.program": (
        "ヘルパーのプログラムと Python 環境（{folder}）: このフォルダを削除します"
        "（rm -rf {folder}）。"
    ),
    "uninstall.stays.launcher": "credit-guard コマンド {path}: rm {path}",
    "uninstall.stays.chromium": (
        "Chrome、Edge、Brave、Vivaldi の拡張機能: chrome://extensions（Edge では"
        " edge://extensions）を開き、Credit Guard の「削除」をクリックします。"
    ),
    "uninstall.stays.firefox": (
        "Firefox の拡張機能: about:addons を開いて Credit Guard を削除します"
        "（一時的なアドオンなら Firefox の再起動で消えます）。"
    ),
    "uninstall.stays.release": (
        "プログラム（{folder}）: {command} で、プログラムと credit-guard コマンドを削除できます。"
    ),
    "uninstall.stays.frozen": "プログラム（{folder}）: このフォルダを削除します。",
    "uninstall.data_kept_script": (
        "集計と設定は、次にインストールするときのために {folder} に残してあります。"
        "削除するには、このフォルダを削除してください（このスクリプトに --purge を付けると、"
        "同期用の秘密鍵も含めて一緒に削除します）。"
    ),
    "cli.usage": "使い方: credit-guard [--version] [--help] [--lang en|ja] コマンド [オプション]",
    "cli.commands": "コマンド:",
    "cli.help_hint": (
        "各コマンドのオプションと使用例は `credit-guard コマンド --help` で表示できます。"
    ),
    "cli.unknown_command": "credit-guard: {name} というコマンドはありません",
    "cli.lang_invalid": (
        "credit-guard: --lang には en か ja を指定してください（指定された値: {given}）。"
    ),
    "args.usage": "使い方:",
    "args.help": "このヘルプを表示して終了します",
    "args.heading.positional": "引数",
    "args.heading.options": "オプション",
    "args.error": "{prog}: エラー: {message}",
    "args.required": "次の指定が足りません: {names}",
    "args.unrecognized": "解釈できない引数があります: {args}",
    "args.invalid_choice": "{name} に {value} は指定できません（指定できる値: {choices}）",
    "args.expected_one": "{name} のあとに値を1つ指定してください",
    "args.expected_some": "{name} のあとに値を1つ以上指定してください",
    "args.not_number": "{name} には数値を指定してください（指定された値: {value}）",
    "args.invalid_value": "{name} に指定された値 {value} は使えません",
    "args.no_value": "{name} には値を付けられません（指定された値: {value}）",
    "args.ambiguous": "オプション {option} があいまいです（候補: {matches}）",
    "status.no_account": (
        "まだ Genspark のアカウントの記録がありません。拡張機能を読み込んだブラウザで"
        " genspark.ai を開くか、`credit-guard log` で利用を手動で記録してください。"
    ),
    "status.label.account": "アカウント",
    "status.label.plan": "プラン",
    "status.label.remaining": "残り",
    "status.label.used": "使用済み",
    "status.label.by_device": "端末別",
    "status.label.by_operation": "操作別",
    "status.label.site_balance": "サイト上の残高",
    "status.label.pace": "このペースだと",
    "status.label.credits_return": "クレジットの回復",
    "status.label.window": "{window}枠",
    "status.plan": "{plan}（{allowance}、今の期間は {start} から）",
    "status.remaining": "{remaining}（全{allowance}）",
    "status.other_devices": "ほかの端末",
    "status.site_balance": "{balance}（{time}時点）",
    "status.window": "残り{balance}、リセットは{reset}",
    "status.pace.early": "期間が始まったばかりで、まだ見通せません",
    "status.pace.out": "クレジットが残っていません",
    "status.pace.rate": "1時間あたり{credits}",
    "status.pace.lasts": "リセットまで持ちます",
    "status.pace.lasts_at": "リセットまで持ちます（{rate}）",
    "status.pace.runs_out": "{clock}ごろに使い切ります。リセットの{before}前です（{rate}）",
    "window.day": "1日",
    "window.month": "1か月",
    "window.total": "合計",
    "advice.level.ok": "実行して問題ありません",
    "advice.level.warn": "注意",
    "advice.level.stop": "中止をおすすめします",
    "advice.source.learned": "これまでの利用から学習した値",
    "advice.source.default": "標準の見積もり",
    "advice.source.plan": "ご利用のプランでは無料",
    "demo.hello": "ヘルパー {version} が応答しています（端末: {device}）。",
    "demo.step.image": (
        "1. ページの残高は100クレジット。画像を1枚生成すると、ページの表示は60になります。"
    ),
    "demo.step.phone": (
        "2. スマートフォンで15クレジットを使いました（拡張機能からは見えません）。"
        "ページの表示は45になります。"
    ),
    "demo.step.video": "3. 動画の生成を依頼します。送信する前に、ページがヘルパーに確認します:",
    "demo.verdict": "判定: {level}。見積もり{cost}（{source}）、残り{remaining}。",
    "demo.alternatives": "代わりに使えるサービス: {names}",
    "demo.step.diagnose": (
        "4. 集計では45クレジット残っているのに、ページには使い切ったと表示されています:"
    ),
    "demo.done": "デモは一時フォルダを使ったため、あなたのデータには何も書き込んでいません。",
    "doctor.mark.ok": "正常",
    "doctor.mark.fail": "異常",
    "doctor.mark.warn": "注意",
    "doctor.fix": "対処: {fix}",
    "doctor.passed": "すべての項目に問題はありません。",
    "doctor.failed": "問題が見つかりました。上の「異常」の項目と対処をご確認ください。",
    "doctor.check.browsers": "ブラウザ",
    "doctor.check.manifest": "{browser}: マニフェスト",
    "doctor.check.manifest_json": "{browser}: マニフェストの JSON",
    "doctor.check.manifest_content": "{browser}: マニフェストの内容",
    "doctor.check.host_program": "{browser}: ホストプログラム",
    "doctor.check.hello": "ホストの応答（{host}）",
    "doctor.check.keyring": "キーリング",
    "doctor.check.data_folder": "データフォルダ",
    "doctor.browsers.none": "対応しているブラウザが見つかりません（対応: {browsers}）",
    "doctor.browsers.fix": "いずれかをインストールするか、--browser でブラウザを指定してください",
    "doctor.reinstall": "次を実行してください: {command}",
    "doctor.manifest.none": "見つかりません（探した場所: {places}）",
    "doctor.manifest.unreadable": "JSON として読み込めません（技術的な詳細: {error}）",
    "doctor.manifest.wrong_id": (
        "許可されているのは {allowed} で、拡張機能の ID {wanted} ではありません"
    ),
    "doctor.manifest.lets_in": "許可している拡張機能: {ids}",
    "doctor.host_program.fix": (
        "{reinstall}（ホストプログラムが別の場所にある場合は --host-path PATH を付けてください）"
    ),
    "doctor.hello.run_by_hand": "ホストを手動で起動して、エラー出力を確認してください",
    "doctor.hello.cannot_start": "ホストを起動できません: {error}",
    "doctor.hello.exited": "ホストが応答せずに終了しました",
    "doctor.hello.timeout": "{seconds}秒以内に応答がありません",
    "doctor.hello.bad_reply": "応答を読み取れません（技術的な詳細: {error}）",
    "doctor.hello.ended": "{problem}（終了コード {code}）",
    "doctor.hello.said": "{problem}。ホストの出力: {said}",
    "doctor.hello.not_object": "応答が JSON オブジェクトではありません: {reply}",
    "doctor.hello.error": "ホストがエラーを返しました: {error}",
    "doctor.hello.see_log": "ヘルパーのログを確認してください",
    "doctor.hello.mismatch": "ID {id}、プロトコル {protocol}",
    "doctor.hello.mismatch_fix": (
        "ID 'doctor'、プロトコル {protocol} の応答が必要です。ヘルパーを再インストールしてください"
    ),
    "doctor.hello.ok": "バージョン {version}、プロトコル {protocol}",
    "doctor.keyring.sync_only": "{detail}（端末間の同期にだけ必要です）",
    "doctor.data_folder.fix": (
        "書き込めるようにするか、同じ場所にあるものを移動するか、"
        "環境変数 CREDIT_GUARD_HOME で書き込める別のフォルダを指定してください"
    ),
    "doctor.data_folder.ok": "{folder} に書き込めて、台帳も開けます",
    "doctor.check.host_installed": "{browser}: 起動されるプログラム",
    "doctor.host_installed.ok": "マニフェストはこのプログラムを指しています",
    "doctor.host_installed.other": (
        "マニフェストが指しているのは {host} で、このプログラム（{program}）ではありません"
    ),
    "doctor.host_installed.fix": "このプログラムをブラウザから起動させるには: {command}",
    "doctor.check.command": "credit-guard コマンド",
    "doctor.command.ok": "{path} でこのプログラムが起動します",
    "doctor.command.missing": "PATH の中に見つかりません（このプログラムは {program} です）",
    "doctor.command.other": "{path} はこのプログラム（{program}）とは別のものです",
    "doctor.command.fix": (
        "{folder} を PATH に加えてから（方法はリリースのインストールスクリプト install.sh、"
        "install.ps1 が表示します）、新しいターミナルを開いてください"
    ),
    "doctor.command.other_fix": (
        "使いたいリリースのインストールスクリプト（install.sh、install.ps1）を実行してください。"
        "コマンドがそのプログラムを指すようになります"
    ),
    "host_program.not_absolute": "{path} は絶対パスではありません",
    "host_program.missing": "{path} がありません",
    "host_program.not_file": "{path} はファイルではありません",
    "host_program.not_executable": "{path} に実行権限がありません（chmod +x で付けられます）",
    "manifest.not_object": "マニフェストが JSON オブジェクトではありません",
    "manifest.wrong_name": "name が {found} です（正しくは {expected}）",
    "manifest.wrong_type": "type が {found} です（正しくは 'stdio'）",
    "manifest.path_not_absolute": "path の {path} は絶対パスではありません",
    "manifest.none_allowed": "{field} がないか、空です",
    "manifest.wildcard": "{field} に {entry} があります。ワイルドカードは使えません",
    "manifest.not_origin": (
        "{field} の {entry} は chrome-extension://<a〜p の32文字>/ の形ではありません"
    ),
    "manifest.not_firefox_id": "{field} の {entry} は Firefox アドオンの ID ではありません",
    "keyring.none": (
        "使えるキーリングがありません（{backend}）。Linux では GNOME Keyring か KWallet を"
        "インストールしてロックを解除してください（macOS のキーチェーンと Windows の"
        "資格情報マネージャーはそのまま使えます）。環境変数 PYTHON_KEYRING_BACKEND で"
        "選ぶこともできます"
    ),
    "keyring.failed": "キーリング {backend} でエラーが起きました: {error}",
    "keyring.forgets": "キーリング {backend} は保存した内容を保持しません",
    "keyring.works": "キーリング {backend} は使えます。同期用の秘密鍵はまだ保存されていません",
    "keyring.works_stored": "キーリング {backend} は使えます。同期用の秘密鍵が保存されています",
    "input.bool": (
        "{value} は「はい」「いいえ」として読めません。"
        "yes、no、on、off、true、false のいずれかを指定してください。"
    ),
    "input.number": "{value} は数値として読めません。20 や 2.5 のように数字で指定してください。",
    "input.number_range": (
        "{value} は受け付けられる範囲外です。{minimum}から{maximum}までの数値を指定してください。"
    ),
    "input.whole_range": (
        "{value} は受け付けられません。{minimum}から{maximum}までの整数を指定してください。"
    ),
    "input.instant": (
        "{value} は日時として読めません。日時は現地時刻で 2026-11-24 09:30 のように、"
        "今日なら 09:30 のように指定してください（別のタイムゾーンなら Z や +09:00 を付けます）。"
    ),
    "input.instant_too_old": (
        "{value} は{year}年より前です。利用した日時を 2026-11-24 09:30 のように指定してください。"
    ),
    "input.instant_future": (
        "{value} は未来の日時です（{when}、現在は{now}）。利用した日時を指定してください。"
    ),
    "input.reset_time": (
        "{value} は時刻として読めません。現地時刻の時と分を 9:00 や 21:30 のように"
        "指定してください（別のタイムゾーンなら UTC や +09:00 を付けます）。"
    ),
    "input.choice": "{value} は受け付けられません。{choices} のいずれかを指定してください。",
    "input.too_many": "{value} は数値が多すぎます。{most}個までにしてください。",
    "input.thresholds": (
        "{value} はパーセントの一覧として読めません。1から99までの整数を10個まで、"
        "50,20,10 のようにカンマで区切って指定してください。"
    ),
    "input.alternatives": (
        "{value} は代替サービスの一覧として読めません。"
        "name と https の url を持つオブジェクトの一覧を JSON で指定してください。"
    ),
    "cli.config.unknown_setting": (
        "{name} という設定はありません。設定: {names}。"
        "各設定の説明は credit-guard config --help で確認できます。"
    ),
    "cli.config.needs_account": (
        "{names} はアカウントごとの設定です。--account でアカウントを指定してください。"
        "例: credit-guard config {example}"
    ),
    "cli.config.global_setting": (
        "{names} はすべてのアカウントに共通の設定です。--account を付けずに指定してください。"
    ),
    "cli.config.not_assignment": (
        "{text} は「設定名=値」の形ではありません。reset_time=9:00 のように、"
        "設定名、等号、値の順に書いてください。"
    ),
    "cli.config.get_names": (
        "{text}: get には設定名だけを指定します。"
        "例: credit-guard config get --account me@example.com billing_day。"
        "設定を変更するには set を使ってください。"
    ),
    "cli.config.reset_time_shown": "現地時刻 {local}（{zone}、{utc} UTC）",
    "cli.config.plan_figure": "プランの既定値",
    "cli.config.help_account": "アカウントごとの設定（--account を指定）:",
    "cli.config.help_global": "すべてのアカウントに共通の設定（--account なし）:",
    "cli.config.help_default": "既定値: {value}",
    "setting.plan": "Genspark のプラン。クレジット数とリセット周期が決まります: {plans}。",
    "setting.allowance": (
        "1期間のクレジット数（プランの値と違う場合）。数値、またはプランの値に戻すなら plan。"
    ),
    "setting.period": (
        "クレジットが戻る周期。day（毎日）か month（毎月）、プランの周期に戻すなら plan。"
    ),
    "setting.reset_time": (
        "クレジットが戻る時刻。現地時刻（{zone}）で 9:00 や 21:30 のように指定します。"
        "別のタイムゾーンで指定するなら UTC や +09:00 を付けます。UTC で保存されます。"
    ),
    "setting.billing_day": "月額プランが更新される日。1から31まで。",
    "setting.reserve": (
        "手元に残しておくクレジット（クレジット数に対するパーセント、0から100）。"
        "操作の後にこれを下回りそうなときに警告します。"
    ),
    "setting.language": "Credit Guard の表示言語。auto（システムに合わせる）、en、ja のいずれか。",
    "setting.confirm_before_heavy": (
        "クレジットを多く消費する操作（画像・動画生成、データ分析）の前に確認する: yes か no。"
    ),
    "setting.notifications": "クレジットが少なくなったら通知する: yes か no。",
    "setting.notify_thresholds": (
        "通知するタイミング（残りクレジットのパーセント）。"
        "1から99までの整数を10個まで、50,20,10 のように指定します。"
    ),
    "setting.alternatives": (
        "クレジット切れのときに提案するほかのサービス。"
        "name と https の url を持つオブジェクトの一覧を JSON で指定します。"
    ),
    "setting.reset_nudge": (
        "毎日のリセットでクレジットが多く余りそうなとき、その前に一度お知らせする: yes か no。"
    ),
    "cli.log.counted": "指定されたとおり{credits}として数えました。",
    "cli.log.estimated_default": (
        "{credits}として数えました。これは見積もりで、{operation}の Credit Guard の既定値です"
        "（実際の消費量はまだわかっていません）。実際の消費量がわかる場合は、"
        "この記録を取り消して --credits を付けて記録し直してください。"
    ),
    "cli.log.estimated_learned": (
        "{credits}として数えました。これは見積もりで、これまでの{operation}{samples}回分から"
        "学習した値です。実際の消費量がわかる場合は、"
        "この記録を取り消して --credits を付けて記録し直してください。"
    ),
    "cli.log.free_on_plan": (
        "ご利用のプランでは{operation}にクレジットはかからないため、0として数えました。"
    ),
    "cli.log.earlier_period": (
        "{at} は現在の期間（{start} から）より前です。この記録はその日の履歴に数えられ、"
        "今日の残りクレジットは変わりません。"
    ),
    "sync.problem.unreachable": (
        "ハブに接続できませんでした。ハブが動いているか、アドレスが正しいか、"
        "この端末がネットワークにつながっているかを確認してください。"
    ),
    "sync.problem.tls": (
        "ハブとの暗号化接続に失敗しました。ハブの証明書と、アドレスが wss:// と ws:// の"
        "どちらで始まるべきかを確認してください。"
    ),
    "sync.problem.unknown_group": (
        "ハブはこのグループを保持しておらず、受け入れもしませんでした（満杯の可能性があります）。"
        "ハブの管理者に確認してください。"
    ),
    "sync.problem.authentication": (
        "ハブとこの端末が、同じグループに属していることを互いに確認できませんでした。"
        "ハブのアドレスを確認するか、グループから抜けて、ほかの端末のコードで参加し直してください。"
    ),
    "sync.problem.refused": (
        "ハブが接続を閉じました（同時に接続する端末やリクエストが多すぎるか、"
        "メッセージが大きすぎます）。しばらくしてから再試行してください。"
    ),
    "sync.problem.protocol": (
        "相手が Credit Guard の同期プロトコルで応答しません。ハブのアドレスと、"
        "ハブの Credit Guard がこの端末と同じかそれより新しいことを確認してください。"
    ),
    "sync.problem.timeout": "ハブから時間内に応答がありませんでした。再試行してください。",
    "sync.problem.folder": (
        "共有フォルダを読み書きできませんでした。フォルダがあるか、同期ツール"
        "（Syncthing、Dropbox、OneDrive、iCloud Drive）が動いているかを確認してください。"
    ),
    "sync.problem.keyring": (
        "システムのキーリングからグループの秘密鍵を読み取れませんでした（ロックされているか、"
        "削除されています）。キーリングのロックを解除するか、グループから抜けて、"
        "ほかの端末のコードで参加し直してください。"
    ),
    "sync.pairing.empty": (
        "ペアリングコードが空です。ほかの端末に表示されたコードを入力するか貼り付けてください。"
    ),
    "sync.pairing.character": (
        "ペアリングコードの{position}文字目は、コードに使われない文字です。"
        "ほかの端末に表示されたコードと1文字ずつ見比べてください。"
    ),
    "sync.pairing.checksum": (
        "コードが打ち間違えられています。ほかの端末に表示されたコードと1文字ずつ見比べてください。"
    ),
    "sync.pairing.version": (
        "このペアリングコードは新しいバージョンの Credit Guard で作られています。"
        "この端末の Credit Guard を更新してから参加し直してください。"
    ),
    "sync.pairing.content": (
        "このペアリングコードにはグループの情報がありません。"
        "ほかの端末でコードを表示し直して、もう一度入力してください。"
    ),
    "sync.already_paired": (
        "この端末はすでに同期グループに参加しています。先にグループから抜けてから"
        "（credit-guard sync leave、またはポップアップの「デバイス」タブから）、"
        "作成または参加し直してください。"
    ),
    "sync.not_paired": (
        "この端末はどの同期グループにも参加していません。credit-guard sync init で作成するか、"
        "ほかの端末に表示されたコードを使って credit-guard sync join で参加してください。"
    ),
    "sync.pair.choose": (
        "同期グループを作るには、ハブのアドレス（ws:// か wss://）か共有フォルダの"
        "どちらかを指定してください。"
    ),
    "sync.hub_url_invalid": (
        "{hub_url} はハブのアドレスではありません。wss://hub.example.org:8765 のように、"
        "wss://（このパソコンや自宅のネットワーク内なら ws://）に続けて"
        "ハブのホスト名とポートを指定してください。"
    ),
    "sync.folder_missing": (
        "{folder} はこの端末にあるフォルダではありません。同期ツール"
        "（Syncthing、Dropbox、OneDrive、iCloud Drive）で同期しているフォルダを"
        "フルパスで指定してください。"
    ),
    "sync.join.folder_needed": (
        "このグループは共有フォルダで同期します。この端末でのそのフォルダのパスも指定してください。"
    ),
    "sync.join.hub_code": "このグループはハブで同期します。フォルダは指定しないでください。",
    "sync.name_invalid": "端末名は1〜{most}文字にしてください（前後の空白は除きます）。",
    "sync.keyring.none": (
        "同期用の秘密鍵はシステムのキーリングに保存しますが、使えるキーリングが見つかりません"
        "（{backend}）。Linux では GNOME Keyring か KWallet をインストールしてロックを"
        "解除してください（macOS のキーチェーンと Windows の資格情報マネージャーは"
        "そのまま使えます）。環境変数 PYTHON_KEYRING_BACKEND で選ぶこともできます。"
        "credit-guard doctor で確認できます。"
    ),
    "sync.keyring.failed": (
        "同期用の秘密鍵はシステムのキーリングに保存しますが、キーリング {backend} で"
        "エラーが起きました（{error}）。キーリングのロックを解除するか（Linux では"
        " GNOME Keyring か KWallet が動いていてロックが解除されている必要があります）、"
        "環境変数 PYTHON_KEYRING_BACKEND でほかのキーリングを選んでください。"
        "credit-guard doctor で確認できます。"
    ),
    "sync.keyring.lost": (
        "この端末の同期用の秘密鍵がシステムのキーリングにありません（またはほかのグループの"
        "ものです）。グループから抜けて、ほかの端末のコードで参加し直してください。"
    ),
    "sync.settings_unreadable": (
        "{path} の同期設定を読み込めません（{reason}）。グループから抜けてから"
        "（credit-guard sync leave）、作成または参加し直してください。"
    ),
    "cli.sync.created_hub": "同期グループ {group} を作成しました（ハブ {hub_url} 経由）。",
    "cli.sync.created_folder": (
        "同期グループ {group} を作成しました（共有フォルダ {folder} 経由）。"
    ),
    "cli.sync.code_again": "この端末は同期グループ {group} に参加しています。ペアリングコード:",
    "cli.sync.share_hub": (
        "ほかの端末それぞれで、最後の行のコードを付けて credit-guard sync join を実行するか、"
        "Credit Guard のポップアップの「デバイス」タブにコードを入力してください。"
        "コードがあれば誰でもグループに参加して記録を読めます。自分の端末にだけ渡してください。"
    ),
    "cli.sync.share_folder": (
        "ほかの端末それぞれで、最後の行のコードと、その端末での共有フォルダのパス（--folder）を"
        "付けて credit-guard sync join を実行するか、Credit Guard のポップアップの"
        "「デバイス」タブに両方を入力してください。コードがあれば誰でもグループに参加して記録を読めます。"
        "自分の端末にだけ渡してください。"
    ),
    "cli.sync.joined_hub": (
        "同期グループ {group} に参加しました（ハブ {hub_url} 経由）。"
        "ブラウザが開いている間は自動で同期します（ブラウザなしで同期を続けるには"
        " credit-guard sync run）。ほかの端末の記録をすぐ取り込むには credit-guard sync now。"
    ),
    "cli.sync.joined_folder": (
        "同期グループ {group} に参加しました（共有フォルダ {folder} 経由）。"
        "ブラウザが開いている間は自動で同期します（ブラウザなしで同期を続けるには"
        " credit-guard sync run）。ほかの端末の記録をすぐ取り込むには credit-guard sync now。"
    ),
    "cli.sync.left": (
        "同期グループから抜けました。この端末は今後同期しません。記録はそのまま残ります。"
    ),
    "cli.sync.leave.confirm": (
        "同期グループ {group} から抜けますか？この端末は同期をやめ、グループの秘密鍵を削除します。"
        "記録はこの端末にもほかの端末にも残ります。"
    ),
    "cli.sync.leave.prompt": "抜けるには y を、とどまるにはそれ以外を入力してください:",
    "cli.sync.leave.kept": "同期グループにとどまります。",
    "cli.sync.named": "この端末の名前を {name} にしました。",
    "cli.sync.synced_hub": "ハブ {hub_url} と同期しました。送信 {sent} 件、受信 {received} 件。",
    "cli.sync.synced_folder": (
        "共有フォルダ {folder} で同期しました。送信 {sent} 件、受信 {received} 件。"
    ),
    "cli.sync.refused": (
        "受信したうち {refused} 件は開けなかったため、飛ばしました（ほかのグループのものか、"
        "壊れています）。"
    ),
    "cli.sync.needs_code": (
        "ほかの端末に表示されたペアリングコードを、credit-guard sync join で聞かれたときに"
        "貼り付けてください（共有フォルダで同期するグループなら --folder PATH も指定します）。"
    ),
    "cli.sync.code_prompt": "ペアリングコード（ほかの端末に表示されたもの）:",
    "cli.sync.needs_name": "この端末の名前を指定してください。例: credit-guard sync name ノートPC",
    "cli.sync.does_not_go": "{given} は credit-guard sync {action} には指定できません。",
    "cli.sync.off": (
        "同期はオフです。この端末はどのグループにも参加していません。credit-guard sync init で"
        "作成するか、credit-guard sync join CODE で参加してください。"
    ),
    "cli.sync.label.state": "同期",
    "cli.sync.label.through": "経路",
    "cli.sync.label.group": "グループ",
    "cli.sync.label.last_sync": "最後の同期",
    "cli.sync.label.last_error": "最後の失敗",
    "cli.sync.label.this_device": "この端末",
    "cli.sync.label.devices": "ほかの端末",
    "cli.sync.state.ok": "同期済み",
    "cli.sync.state.stale": "しばらく同期していません",
    "cli.sync.state.error": "最後の同期に失敗しました",
    "cli.sync.through_hub": "ハブ {hub_url}",
    "cli.sync.through_folder": "共有フォルダ {folder}",
    "cli.sync.never": "まだありません",
    "cli.sync.ago": "{clock}（{duration}前）",
    "cli.sync.unnamed": "（名前なし）",
    "cli.sync.device": "{name}（{id}）、最新の記録 {when}",
    "cli.sync.no_event": "まだありません",
    "cli.sync.no_devices": "まだありません",
    "cli.sync.run.started": (
        "{through}経由で同期を続けます（Ctrl+C で終了）。この端末とほかの端末の記録は、"
        "記録されるたびにやり取りされます。"
    ),
    "cli.sync.run.exchanged": "{clock} 送信 {sent} 件、受信 {received} 件",
    "cli.sync.run.in_step": "{clock} 同期済み",
    "cli.sync.run.trouble": "{clock} 同期できていません。自動で再試行します: {problem}",
    "cli.sync.run.stopped": "同期を終了しました。",
    "cli.sync.serve.listening": (
        "ハブが {url} で待ち受けています。データは {db} に保存します。Ctrl+C で終了します。"
    ),
    "cli.sync.serve.pair": (
        "このハブ経由で端末をペアリングするには: credit-guard sync init --hub {url}"
        "（ほかのパソコンからは、表示されたアドレスの代わりにこのパソコンの名前かアドレスを使います）"
    ),
    "cli.sync.serve.stopped": "ハブを終了しました。",
    "cli.sync.serve.tls_pair": (
        "--tls-cert と --tls-key は両方指定するか、どちらも指定しないでください。"
    ),
    "cli.sync.serve.tls_unusable": "TLS の証明書と秘密鍵を使えません: {reason}",
    "cli.sync.serve.not_loopback": (
        "{host} はこのパソコンの外から接続できるアドレスです。端末が wss:// で接続できるよう"
        " TLS の証明書と秘密鍵（--tls-cert、--tls-key）を指定するか、暗号化なしの ws:// を"
        "受け入れるなら --insecure を指定してください（送るデータは封印されていますが、"
        "いつどの端末が同期したかはネットワーク上の誰にでも見えます）。"
    ),
    "cli.sync.serve.cannot_listen": (
        "ハブは {address} で待ち受けられません: {reason}。ほかのプログラムがそのポートを"
        "使っている可能性があります。--port で別のポートを指定してください。"
    ),
    "cli.sync.serve.bad_db": (
        "ハブは {path} にデータを保存できません: {reason}。--db で別のファイルを指定してください。"
    ),
    # The background service (credit-guard service, doctor).
    "doctor.check.service": "バックグラウンドサービス",
    "service.description.run": "Credit Guard: ブラウザを閉じていてもこの端末の同期を続けます",
    "service.description.serve": "Credit Guard: あなたの端末の同期用ハブ",
    "service.manager.linux": "systemd のユーザーマネージャー（systemctl --user）",
    "service.manager.darwin": "macOS の launchd（launchctl）",
    "service.manager.win32": "タスク スケジューラ（schtasks）",
    "service.absent": (
        "インストールされていません。この端末が同期するのはブラウザが開いている間だけです"
        "（credit-guard service install で、ブラウザがなくても同期を続けられます）"
    ),
    "service.running": "動作中です。インストール先: {file}。出力の確認先: {log}",
    "service.stopped": "{file} にインストールされていますが、動いていません",
    "service.stopped.fix": (
        "{log} で原因を確かめ、解決したら次のコマンドで再開してください: {restart}"
    ),
    "service.unknown": (
        "{file} にインストールされていますが、{manager}に動作状況を問い合わせられません"
        "（技術的な詳細: {reason}）"
    ),
    "service.unknown.fix": "{manager}が動いているログインセッションで実行してください: {manual}",
    "cli.service.does_not_go": "{given} は credit-guard service {action} には指定できません。",
    "cli.service.installed": (
        "バックグラウンドサービスをインストールして開始しました。{command} を今すぐと、"
        "ログインするたびに実行し、失敗したときは再開します。"
    ),
    "cli.service.where": (
        "サービスのファイル: {file}。出力の確認先: {log}。動いているかどうかは credit-guard"
        " service status（または credit-guard doctor）で確認でき、credit-guard service"
        " uninstall で削除できます。"
    ),
    "cli.service.linger": (
        "ログアウト中もハブを動かし続けるには、一度だけ次を実行してください: loginctl enable-linger"
    ),
    "cli.service.written": "バックグラウンドサービスのファイルを書き込みました: {file}",
    "cli.service.kept_file": "バックグラウンドサービスのファイルは残っています: {file}",
    "cli.service.removed_file": "バックグラウンドサービスのファイルを削除しました: {file}",
    "cli.service.unreachable": (
        "ただし、ここでは {manager}に接続できないため、何も開始していません"
        "（技術的な詳細: {reason}）。"
    ),
    "cli.service.failed": "ただし、{manager}に拒否されました（技術的な詳細: {reason}）。",
    "cli.service.by_hand": (
        "{manager}が動いているログインセッションで、次のコマンドを実行して"
        "仕上げてください: {manual}"
    ),
    "cli.service.removed": "バックグラウンドサービスを停止して削除しました（{file}）。",
    "cli.service.removed_unreachable": (
        "ここでは {manager}に接続できません（技術的な詳細: {reason}）。ファイルを削除したので、"
        "サービスが再び開始されることはありません。"
    ),
    "cli.service.none": (
        "バックグラウンドサービスはインストールされていません。削除するものはありません。"
    ),
    # `credit-guard demo --browser`（devkit/browser_demo.py）。
    "demo.browser.no_checkout": (
        "ブラウザのデモは Credit Guard のソース一式から動かします（extension/ フォルダと"
        "開発キット devkit/ を使います）。このインストールにはソースがありません。"
        "ソース一式のフォルダで bash build_scripts/demo_browser.sh を実行してください。"
    ),
    "demo.browser.no_playwright": (
        "ブラウザのデモには Playwright が必要ですが、インストールされていません。"
        "ソースのフォルダで demo の追加パッケージをインストールするか"
        "（bash build_scripts/venv.sh demo）、bash build_scripts/demo_browser.sh を"
        "実行してください（初回に自動でインストールします）。"
    ),
    "demo.browser.no_browser": (
        "Chromium が見つかりません。インストールするか（Debian/Ubuntu:"
        " apt-get install chromium）、CREDIT_GUARD_CHROMIUM にパスを設定してください。"
    ),
    "demo.browser.no_extension": (
        "{browser} で拡張機能が読み込まれませんでした。Google Chrome 137 以降は"
        " --load-extension を無視します。Chromium をインストールして（apt-get install"
        " chromium）もう一度実行してください。"
    ),
    "demo.browser.mode.headless": "ウィンドウなし",
    "demo.browser.mode.headed": "ウィンドウあり",
    "demo.browser.start": (
        "{browser}（{mode}）を使い捨てのプロファイル、extension/ の拡張機能、ヘルパーで"
        "起動します。あなたのデータには触れません。"
    ),
    "demo.browser.balance": (
        "1. Genspark の動画ページ（ローカルの模擬サイト）に {balance} クレジットと表示され、"
        "ヘルパーの集計にも入り、ツールバーのバッジは {badge} です。"
    ),
    "demo.browser.held": (
        "2. 動画を依頼すると、Credit Guard が送信前に止めて確認します。"
        "サイトが受け取った生成リクエストは {sent} 件です。"
    ),
    "demo.browser.went": (
        "3. 「続ける」を押すと、依頼はちょうど 1 回サイトに届き（{sent} 件）、動画が作られます。"
    ),
    "demo.browser.exhausted": (
        "4. 2 本目の動画で「続ける」を押すと、集計では{left}残っているのに、"
        "サイトが使い切ったと言います。ページのトラブル対応パネルが、試すことを順に示します:"
    ),
    "demo.browser.popup": (
        "5. ポップアップに集計が表示されます: {remaining}。今期の使用 {used}"
        "（端末別: {devices}、操作別: {operations}）"
    ),
    "demo.browser.shots": "スクリーンショット:",
    "demo.browser.headed": "ブラウザを操作できます。試してみてください:",
    "demo.browser.headed.dialog": (
        "ページのダイアログ:「続ける」で動画が 1 回だけ送られ、「キャンセル」では何も送られません。"
    ),
    "demo.browser.headed.toolbar": (
        "ツールバーの Credit Guard アイコン: バッジに残りクレジット、クリックでポップアップ"
        "（集計、設定、トラブルシューティング）。"
    ),
    "demo.browser.headed.exhaust": (
        "ここで Enter を押すと模擬サイトがクレジット切れを返すようになります。その後ページで"
        "送信すると、トラブル対応パネルが出ます。"
    ),
    "demo.browser.headed.end": (
        "ブラウザは模擬サイトにしかつながりません。閉じるか、ここで Ctrl-C を押すと終了します。"
    ),
    "demo.browser.now_exhausted": (
        "模擬サイトがクレジット切れを返すようになりました。送信してみてください。"
    ),
    "demo.browser.done": (
        "終了しました。プロファイルとヘルパーのデータは一時的なもので、削除されました。"
    ),
}

# Japanese --help of each command; the English is in the command's module (see above).
HELP_JA: Final[dict[str, str]] = {
    "install": """ブラウザにヘルパーを登録し、Credit Guard 拡張機能から起動できるようにします。

このパソコンで見つかったブラウザごと（--browser を指定した場合はそのブラウザごと）に、
credit-guard-host プログラムを指し、Credit Guard 拡張機能だけに接続を許す
ネイティブメッセージング用のマニフェストを書き込みます。何度実行しても結果は同じです。
書き込んだものは `credit-guard uninstall` で削除できます。すべてのユーザー向けに
登録するには --system を（root または管理者として）、--user-data-dir 付きで
起動する Chromium には --user-data-dir を指定してください。

例:
    credit-guard install --browser chrome --browser firefox""",
    "install --browser": (
        "対象のブラウザ。複数回指定できます"
        "（chrome, chromium, edge, brave, vivaldi, firefox）。既定: 見つかったすべてのブラウザ"
    ),
    "install --user-data-dir": (
        "Chromium の独自のプロファイルフォルダ。"
        "マニフェストは DIR/NativeMessagingHosts に置かれます"
    ),
    "install --system": "すべてのユーザー向けに登録します（root または管理者権限が必要です）",
    "install --extension-id": "接続を許す Chromium 系ブラウザの拡張機能 ID（既定: %(default)s）",
    "install --firefox-id": "接続を許す Firefox アドオンの ID（既定: %(default)s）",
    "install --host-path": (
        "ブラウザが起動するホストプログラム（既定: この環境にインストールされた credit-guard-host）"
    ),
    "uninstall": """ヘルパーの登録（マニフェストと Windows のレジストリ）を削除します。

削除するのは `credit-guard install` が書き込んだもの、つまり com.creditguard.helper.json
という名前のファイルと同じ名前のキーだけです。既定では対応しているすべてのブラウザの
フォルダを調べるので、その後アンインストールしたブラウザに古いマニフェストが残りません。
バックグラウンドサービス（`credit-guard service`）も停止して削除します（--browser、
--user-data-dir、--system で登録だけに絞った場合を除きます）。
集計と設定はそのまま残ります。--purge を付けると、データフォルダ（確認のうえ。--yes で
確認を省略）とキーリング内の同期用の秘密鍵も削除します。どちらの場合も、このパソコンに
残るもの（プログラム、credit-guard コマンド、拡張機能）とその削除方法を表示します。

例:
    credit-guard uninstall
    credit-guard uninstall --purge""",
    "uninstall --browser": (
        "対象のブラウザ。複数回指定できます"
        "（chrome, chromium, edge, brave, vivaldi, firefox）。既定: 対応しているすべてのブラウザ"
    ),
    "uninstall --user-data-dir": (
        "Chromium の独自のプロファイルフォルダ。マニフェストは DIR/NativeMessagingHosts にあります"
    ),
    "uninstall --system": "システム全体の登録を削除します（root として実行）",
    "uninstall --purge": "データフォルダ（集計・設定・ログ）も削除します（削除の前に確認します）",
    "uninstall --yes": "--purge のとき、確認せずに削除します",
    "doctor": """ブラウザからヘルパーまでのつながりを順に確認し、問題があれば直し方を示します。

見つかったブラウザごと（--browser を指定した場合はそのブラウザごと）に、マニフェストが
登録されているか、正しい JSON か、実在する実行可能なホストを絶対パスで指しているか、
拡張機能の ID を許可していてワイルドカードを含まないかを確認します。次に、ブラウザと
同じ方法でホストを起動し、5秒以内に `hello` にプロトコル 1 で応答するかを確かめます。
最後に、ヘルパーと同じ方法でデータフォルダの台帳を開けるか、フォルダに書き込めるかを
確認します。キーリングも確認しますが、必要なのは端末間の同期だけなので「注意」に
とどめます。リリースからインストールしたプログラムでは、各マニフェストがそのプログラムを
指しているか、credit-guard コマンドでそのプログラムが起動するかも確認します（別の動く
コピーでも使えるため「注意」です）。必須の項目がすべて正常なら終了コード 0、それ以外は
1 です。結果はお使いの言語で表示されます。--json の出力はプログラム向けで、英語のままです。

例:
    credit-guard doctor --browser chrome --json""",
    "doctor --browser": (
        "対象のブラウザ。複数回指定できます"
        "（chrome, chromium, edge, brave, vivaldi, firefox）。既定: 見つかったすべてのブラウザ"
    ),
    "doctor --user-data-dir": (
        "Chromium の独自のプロファイルフォルダ。マニフェストは DIR/NativeMessagingHosts にあります"
    ),
    "doctor --extension-id": (
        "マニフェストが接続を許しているべき Chromium 系ブラウザの拡張機能 ID（既定: %(default)s）"
    ),
    "doctor --firefox-id": (
        "マニフェストが接続を許しているべき Firefox アドオンの ID（既定: %(default)s）"
    ),
    "doctor --json": "確認結果を JSON で出力します",
    "status": """Genspark の各アカウントのクレジット（使用量・残り・回復する時刻）を表示します。

アカウントごとに、プラン、今の期間の使用量（端末別・操作別）、残りのクレジット、
今のペース（そのペースでリセットまで持つか、持たないならいつ使い切るか。時刻は
お使いの地域の時刻）、そしてクレジットが回復する時刻を表示します。

例:
  credit-guard status
  credit-guard status --account me@example.com --json""",
    "status --account": "このアカウント（メールアドレス）だけを表示します",
    "status --json": "状況を JSON で出力します（プログラム向け）",
    "log": """拡張機能から見えない利用（スマートフォンやアプリ）を記録するか、記録を取り消します。

記録は一度だけ数えられ、ほかの記録と同じように同期され、すぐに残りのクレジットに
反映されます。`log` は数えた量を表示します。--credits を指定すればその値、指定しな
ければ見積もり（これまでの利用から学習した値、または Credit Guard の既定値）です。
指定した日時（--at。タイムゾーンを付けなければ現地時刻で、未来の日時は指定できませ
ん）が現在の期間に含まれるかどうかも表示します。記録したイベントの ID を表示し、
`log --undo EVENT_ID` でその利用を取り消せます。取り消しも同期され、集計・履歴・学習
した消費量に含まれなくなります。すでに取り消されていた場合の終了コードは 1 です。

例:
  credit-guard log --account me@example.com --operation image --credits 5
  credit-guard log --account me@example.com --operation video --at "2026-11-24 21:30"
  credit-guard log --undo 3f2b8c1e-5d4a-4f6b-9c7d-1e2f3a4b5c6d""",
    "log --account": "Genspark のアカウント（メールアドレス）",
    "log --credits": "消費したクレジット（わかる場合。指定しなければ見積もりで数えます）",
    "log --model": "使ったモデル（わかる場合）",
    "log --at": (
        "利用した日時。タイムゾーンを付けなければ現地時刻（既定: 現在）。"
        "例: '2026-11-24 09:30'、09:30（今日）、2026-11-24T09:30:00+09:00"
    ),
    "log --undo": "記録する代わりに、この ID の利用イベントを取り消します",
    "forget": """間違えて入力したアカウントや、もう使わないアカウントの記録を消去します。

これまでに記録された利用・残高・設定が、`status`、ポップアップ、集計から消えます。
消去も同期されるイベントなので、ほかの端末の記録からアカウントが戻ってくることは
ありません。消去の後に記録された利用は、新しいアカウントとして数えられます。
--yes を付けない限り確認を求めます。「いいえ」と答えた場合の終了コードは 1 です。

例:
  credit-guard forget me@exmaple.com
  credit-guard forget --yes old@example.com""",
    "forget account": "消去するアカウント（status に表示されるとおりに）",
    "forget --yes": "確認せずに消去します",
    "config": """設定を表示・変更します（アカウントごとの設定と全体の設定）。

`config` だけ、または `config get` ですべての設定を、`config get 設定名…` でその設定
だけを表示します。`config set 設定名=値…` で変更します（get と set は省略でき、設定名=
値があれば set になります）。アカウントごとの設定には --account が必要で、全体の設定
には付けません。リセット時刻は現地時刻で入力・表示し、UTC で保存します。変更は利用の
記録と同じように、ほかの端末に同期されます。各設定の意味、指定できる値、既定値は下の
一覧のとおりです。

例:
  credit-guard config
  credit-guard config get --account me@example.com billing_day
  credit-guard config set --account me@example.com plan=plus billing_day=15
  credit-guard config set --account me@example.com reset_time=9:00
  credit-guard config set language=ja confirm_before_heavy=no notify_thresholds=50,20,5""",
    "config words": "表示する設定名、または変更する 設定名=値",
    "config --account": "Genspark のアカウント（メールアドレス）",
    "config --json": "JSON で出力します（reset_time は UTC）",
    "schema": """ヘルパーが受け付けるすべてのリクエストの JSON Schema を出力します。

拡張機能のテストは、組み立てたメッセージをこのスキーマで検証します。

例:
  credit-guard schema > request.schema.json""",
    "demo": """Genspark の一日を模擬して、ヘルパーの働きを見せます。アカウントは不要です。

本物のヘルパーを本物のパイプ越しに、使い捨てのデータフォルダで起動し（あなたの集計には
触れません）、拡張機能が目にする出来事を送って、その応答を表示します: 集計、
「ほかの端末」での利用、動画を生成する前の警告、そしてトラブルの診断。表示は
お使いの言語です（language の設定、または --lang）。

--browser を付けると、代わりに拡張機能そのものの動きを Chromium で、ローカルの模擬
Genspark を相手に見せます: 残高の読み取り、止めてから通す動画、クレジット切れの診断、
ポップアップ。それぞれのスクリーンショットを保存します（--headed ではブラウザを開いた
まま、あなたに操作を任せます）。ソース一式から、Chromium と Playwright を入れた環境で
動きます（bash build_scripts/demo_browser.sh は初回に Playwright をインストールします）。

例:
  credit-guard demo
  credit-guard demo --lang ja
  credit-guard demo --browser --lang ja
  credit-guard demo --browser --headed""",
    "demo --browser": "拡張機能の動きを Chromium で見せます（ソース一式と Playwright が必要）",
    "demo --headed": "--browser と一緒に: ブラウザのウィンドウを表示し、操作をあなたに任せます",
    "demo --out": ("--browser と一緒に: スクリーンショットの保存先（既定はソースの demo-output/）"),
    "sync": """この端末をほかの端末とペアリングし、どの端末でも同じ集計を表示します。

1台目の端末で同期グループを作成し（init）、ハブ（常時動いているパソコンで実行する
`credit-guard sync serve`）か、同期ツール（Syncthing、Dropbox、OneDrive、iCloud Drive）
がすでに同期しているフォルダを経由させます。作成するとペアリングコードを表示し、
その上に QR コードも表示します。ほかの端末はそのコードで参加します。グループの秘密鍵は
システムのキーリングにだけ保存され、ハブやフォルダには暗号化されたデータしか置かれません。

  init --hub URL | --folder PATH  グループを作成します。最後の行がペアリングコードです
                                  （参加中に init だけを実行すると、コードを再表示します）
  join [CODE] [--folder PATH]     ペアリングコードのグループに参加します（共有フォルダの
                                  グループなら、この端末でのフォルダのパスも指定します）。
                                  CODE を省くと入力を求めます（シェルの履歴に残りません）
  status [--json]                 グループ、最後の同期、把握しているほかの端末を表示します
  now                             1回だけ同期して終了します。成功なら終了コード 0、
                                  失敗なら理由を表示して 1 です
  leave [--yes]                   グループから抜けます（先に確認し、とどまれば終了コード 1）。
                                  記録は残ります
  name NAME                       ほかの端末に表示される、この端末の名前を設定します
  run                             止めるまで（Ctrl+C）同期を続けます。サービス向けです。
                                  ヘルパーが自動で同期するのはブラウザが開いている間だけです
  serve [--host HOST] [--port PORT] [--tls-cert FILE --tls-key FILE] [--insecure] [--db FILE]
                                  端末のためのハブを動かします（TLS の証明書か --insecure
                                  を指定しない限り、このパソコンの中からだけ接続できます）

そのほかの失敗の終了コードは 2 です。

例:
  credit-guard sync init --hub wss://hub.example.org:8765
  credit-guard sync init --folder ~/Dropbox/credit-guard
  credit-guard sync join --folder ~/Dropbox/credit-guard
  credit-guard sync status
  credit-guard sync now
  credit-guard sync name Laptop
  credit-guard sync leave
  credit-guard sync serve --host 0.0.0.0 --tls-cert hub.pem --tls-key hub.key""",
    "sync action": "実行する操作（上の説明を参照）",
    "sync value": "ペアリングコード（join）、または名前（name）",
    "sync --hub": "init: ハブのアドレス（ws:// か wss://）",
    "sync --folder": "init、join: この端末での共有フォルダのパス",
    "sync --yes": "leave: 確認せずに抜けます",
    "sync --json": "status: 状態を JSON で出力します",
    "sync --host": "serve: 待ち受けるアドレス（127.0.0.1）",
    "sync --port": "serve: 待ち受けるポート（8765。0 なら空いているポート）",
    "sync --tls-cert": "serve: TLS の証明書（PEM）",
    "sync --tls-key": "serve: TLS の秘密鍵（PEM）",
    "sync --insecure": (
        "serve: TLS なしでこのパソコンの外から接続できるようにします"
        "（データは封印済み、アドレスは見えます）"
    ),
    "sync --db": "serve: ハブのファイル（データフォルダの hub.sqlite3）",
    "service": """ブラウザを閉じても同期を続けます（sync run か sync serve をサービスとして実行）。

ヘルパーが自動で同期するのは、ブラウザが開いている間だけです。`service install` を実行すると、
`credit-guard sync run`（この端末をグループのほかの端末と同期し続けます）または
`credit-guard sync serve`（あなたの端末のためのハブ）を、今すぐと、ログインするたびに
システムが起動し、失敗したときは再開します。Linux では systemd のユーザーユニット、macOS
では launchd のエージェント、Windows ではタスク スケジューラのタスクを使います。
動いているかどうかは `credit-guard doctor` でも確認できます。

  install [run]       この端末の同期を続けます（同期グループに参加している必要があります）
  install serve [--host HOST] [--port PORT] [--tls-cert FILE --tls-key FILE] [--insecure]
                [--db FILE]
                      ハブを動かします。オプションは credit-guard sync serve と同じです
  status              インストールされているか、動いているか、出力をどこで確認できるかを表示します
  uninstall           停止して削除します

完了したら終了コード 0（status は動いているとき）、サービスマネージャーが実行しなかったか
接続できないときは 1（仕上げに必要なコマンドを表示します）、指定の誤りは 2 です。

例:
  credit-guard service install
  credit-guard service install serve --host 0.0.0.0 --tls-cert hub.pem --tls-key hub.key
  credit-guard service status
  credit-guard service uninstall""",
    "service action": "実行する操作（上の説明を参照）",
    "service role": "install: サービスで動かすもの。sync run（既定）か sync serve",
}

# `service install serve` takes the options of `sync serve`, with the same help.
HELP_JA.update(
    {
        f"service {option}": HELP_JA[f"sync {option}"]
        for option in ("--host", "--port", "--tls-cert", "--tls-key", "--insecure", "--db")
    }
)

CATALOGS: Final[dict[str, dict[str, str]]] = {"en": EN, "ja": JA}
LANGUAGES: Final[tuple[str, ...]] = tuple(CATALOGS)


def catalog(language: str) -> dict[str, str]:
    """The catalog for `language` ("ja", "ja-JP", "JA_jp"…), English when unknown."""
    found = CATALOGS.get(language)
    if found is None:
        base = language.replace("_", "-").split("-", 1)[0].lower()
        found = CATALOGS.get(base, EN)
    return found


def text(language: str, key: str, **params: object) -> str:
    """The text of `key` in `language` with `params` filled in.

    Raises KeyError for an unknown key or a missing parameter: both are programming
    errors the catalog tests catch, not user input.
    """
    return catalog(language)[key].format_map(params)


def credits(language: str, value: float) -> str:
    """An amount with its unit: "1 credit", "2.5 credits", 「30クレジット」."""
    shown = number(value)
    return catalog(language)["unit.credit" if shown == "1" else "unit.credits"].format(n=shown)


def number(value: float) -> str:
    """A credit amount for people: whole numbers plain, else one decimal; thousands grouped."""
    if not math.isfinite(value):
        return str(value)
    rounded = round(value, 1)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.1f}"


def plain_number(value: float) -> str:
    """A setting's number as a person types it back: "20", not "20.0"; every decimal
    kept and no grouping, so `config get` output can be pasted into `config set`."""
    if math.isfinite(value) and value == int(value):
        return str(int(value))
    return repr(value)


def duration(language: str, seconds: float) -> str:
    """A span such as "3 h 20 min" / 「3時間20分」: seconds under a minute, else minutes,
    then days and hours past a day. Always rounded up: a countdown never reads "0 min"
    and never promises a reset sooner than it comes."""
    words = catalog(language)
    whole = max(0, math.ceil(seconds))
    if whole < 60:
        return words["time.seconds"].format(s=whole)
    minutes = math.ceil(whole / 60)
    if minutes < 60:
        return words["time.minutes"].format(m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if minutes:
            return words["time.hours_minutes"].format(h=hours, m=minutes)
        return words["time.hours"].format(h=hours)
    days, hours = divmod(math.ceil(whole / 3600), 24)  # hours rounded up past a day
    if hours:
        return words["time.days_hours"].format(d=days, h=hours)
    return words["time.days"].format(d=days)


def format_reset(language: str, reset_at: datetime, now: datetime) -> str:
    """When `reset_at` comes, relative to `now` plus the UTC clock time.

    The date is added to the clock time when the instant is a day or more away. An
    instant already past reads "within a minute": the tally has not rolled over yet.
    """
    words = catalog(language)
    moment = reset_at.astimezone(UTC)
    seconds = (reset_at - now).total_seconds()
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if seconds >= 86_400:
        clock = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {clock}"
    clock = words["time.clock"].format(time=clock)
    if seconds < 60:
        return words["reset.imminent"].format(clock=clock)
    return words["reset.in"].format(duration=duration(language, seconds), clock=clock)


def display_width(shown: str) -> int:
    """Columns `shown` takes in a terminal: East Asian wide characters take two (to align
    Japanese labels)."""
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in shown)
