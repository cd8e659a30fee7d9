# Remove what install.ps1 installed: the helper's browser registrations (HKCU registry
# keys) and background service (credit-guard.exe uninstall, options passed on: --purge
# also deletes your tally and settings, after asking), then the program folder and its
# entry in the user's PATH. install.ps1 leaves a copy of this script in the program folder.
# Saved as UTF-8 with a BOM, which Windows PowerShell 5.1 needs to read the Japanese texts.
# Usage: powershell -ExecutionPolicy Bypass -File uninstall.ps1 [--purge [--yes]]
$ErrorActionPreference = 'Stop'
$app = Join-Path $env:LOCALAPPDATA 'Credit Guard\app'
$japanese = (Get-UICulture).Name -like 'ja*'
function Say([string]$English, [string]$Japanese) {
    if ($japanese) { Write-Output $Japanese } else { Write-Output $English }
}

$program = Join-Path $app 'credit-guard.exe'
if (Test-Path $program) {
    # Stops here when it fails (or --purge is declined): the program stays to try again.
    # The variable: what stays is said without the program, which goes next.
    $env:CREDIT_GUARD_UNINSTALL_SCRIPT = '1'
    & $program uninstall @args
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    Write-Output ''
} else {
    Say "No program in ${app}: nothing to unregister." `
        "$app にプログラムがないため、登録の解除は行いません。"
}

$environment = 'HKCU:\Environment'
$stored = (Get-Item $environment).GetValue('Path', '', 'DoNotExpandEnvironmentNames')
$entries = @($stored -split ';' | Where-Object { $_ })
$kept = @($entries | Where-Object { $_ -ne $app })
if ($kept.Count -ne $entries.Count) {
    New-ItemProperty -Path $environment -Name Path -PropertyType ExpandString -Value ($kept -join ';') -Force | Out-Null
    [Environment]::SetEnvironmentVariable('CREDIT_GUARD_PATH_CHANGED', '1', 'User')
    [Environment]::SetEnvironmentVariable('CREDIT_GUARD_PATH_CHANGED', $null, 'User')
}
# PowerShell has read this script whole: the folder it sits in can go.
Set-Location $env:USERPROFILE
if (Test-Path $app) { Remove-Item -Recurse -Force $app }
$parent = Split-Path $app
if ((Test-Path $parent) -and -not (Get-ChildItem $parent)) { Remove-Item $parent }
Say "Removed the program ($app) and its PATH entry." `
    "プログラム（$app）と PATH の項目を削除しました。"
