# Install Credit Guard's helper for this user from this release folder (Windows; no
# Python needed): copy the program to %LOCALAPPDATA%\Credit Guard\app, add that folder to
# the user's PATH (HKCU\Environment), register the helper with every browser found and
# check the chain. The registration is the program's own: credit-guard.exe install writes
# the HKCU registry keys (options are passed on); this script only copies and calls. The
# folder is launcher.app_folder()'s (native_host/installer/launcher.py). Saved as UTF-8
# with a BOM, which Windows PowerShell 5.1 needs to read the Japanese texts.
# Usage: powershell -ExecutionPolicy Bypass -File install.ps1 [credit-guard install options]
$ErrorActionPreference = 'Stop'
$app = Join-Path $env:LOCALAPPDATA 'Credit Guard\app'
$japanese = (Get-UICulture).Name -like 'ja*'
function Say([string]$English, [string]$Japanese) {
    if ($japanese) { Write-Output $Japanese } else { Write-Output $English }
}

Say "Copying the program to $app" "プログラムを $app にコピーしています"
if (Test-Path $app) {
    try {
        Remove-Item -Recurse -Force $app
    } catch {
        Say "The program in $app is in use: close your browsers, then run this again." `
            "$app のプログラムが使用中です。ブラウザを閉じてから、もう一度実行してください。"
        exit 1
    }
}
New-Item -ItemType Directory -Force -Path (Split-Path $app) | Out-Null
Copy-Item -Recurse (Join-Path $PSScriptRoot 'credit-guard') $app
Copy-Item (Join-Path $PSScriptRoot 'uninstall.ps1') $app

# The user's PATH, as stored (REG_EXPAND_SZ, its %VARIABLES% unexpanded).
$environment = 'HKCU:\Environment'
$stored = (Get-Item $environment).GetValue('Path', '', 'DoNotExpandEnvironmentNames')
$entries = @($stored -split ';' | Where-Object { $_ })
if ($entries -notcontains $app) {
    $joined = ($entries + $app) -join ';'
    New-ItemProperty -Path $environment -Name Path -PropertyType ExpandString -Value $joined -Force | Out-Null
    # Setting a user variable tells Explorer the environment changed: new terminals see PATH.
    [Environment]::SetEnvironmentVariable('CREDIT_GUARD_PATH_CHANGED', '1', 'User')
    [Environment]::SetEnvironmentVariable('CREDIT_GUARD_PATH_CHANGED', $null, 'User')
}
Say "The credit-guard command works in a new terminal (its folder is on your PATH)." `
    "新しいターミナルで credit-guard コマンドが使えます（フォルダを PATH に加えました）。"

$program = Join-Path $app 'credit-guard.exe'
& $program install @args
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Output ''
# What doctor finds is for the user to read; a browser still to install is no failure here.
& $program doctor
exit 0
