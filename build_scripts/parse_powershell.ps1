# Parse PowerShell scripts with PowerShell's own parser, without running them
# (build_scripts/test.sh, where pwsh is): each syntax error with its file and line, exit 1.
# Usage: pwsh -NoProfile -File build_scripts/parse_powershell.ps1 FILE...
$failed = $false
foreach ($file in $args) {
    $tokens = $null
    $errors = $null
    $path = (Resolve-Path $file).Path
    [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors) | Out-Null
    foreach ($problem in $errors) {
        Write-Output "${file}:$($problem.Extent.StartLineNumber): $($problem.Message)"
        $failed = $true
    }
}
if ($failed) { exit 1 }
Write-Output "parsed: $($args -join ', ')"
