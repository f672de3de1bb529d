# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for ccsim: commands, each command's options, the values
# of options that take a fixed set, routing policies, and scenario files
# (*.yaml, *.yml, and folders to reach them). Installed as
# share/bash-completion/completions/ccsim. The commands and options are
# read from `ccsim --help` and `ccsim help COMMAND` of the ccsim being
# completed, so they never drift from the program. Needs no bash-completion
# helpers.

# Words of `ccsim --help`'s command list.
_ccsim_commands()
{
    "$1" --help 2>/dev/null | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1; next} on {exit}'
}

# Options of one command, one a line, with "=" after those that take a
# value: read from the option lines of its help ("  --name VALUE, -n VALUE  text").
_ccsim_options()
{
    "$1" help "$2" 2>/dev/null | awk '
        /^  -/ {
            tag = substr($0, 3); sub(/  .*/, "", tag)
            n = split(tag, part, /, /)
            for (i = 1; i <= n; i++) {
                split(part[i], w, " ")
                if (w[1] !~ /^-/) continue
                print w[1] ((w[2] != "" && w[2] !~ /^\[[^]]*\]$/) ? "=" : "")
            }
        }' | sort -u
}

# Scenario files and folders under the word being completed.
_ccsim_files()
{
    local cur=$1 f
    compopt -o filenames 2>/dev/null
    while IFS= read -r f; do
        if [[ -d $f ]]; then
            COMPREPLY+=("$f")
        elif [[ $f == *.yaml || $f == *.yml ]]; then
            COMPREPLY+=("$f")
        fi
    done < <(compgen -f -- "$cur")
}

_ccsim()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD-1]}
    local prog=${COMP_WORDS[0]} cmd="" i
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_ccsim_commands "$prog") help" -- "$cur"))
        fi
        return 0
    fi
    if [[ $cmd == help ]]; then
        ((COMP_CWORD == i + 1)) && COMPREPLY=($(compgen -W "$(_ccsim_commands "$prog")" -- "$cur"))
        return 0
    fi

    local opts takes o
    opts=$(_ccsim_options "$prog" "$cmd")
    # the value of an option that takes one
    if [[ $prev == -* ]] && grep -qx -- "$prev=" <<<"$opts"; then
        case $prev in
        --out) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
        --trace) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
        --by) COMPREPLY=($(compgen -W "interval" -- "$cur")) ;;
        --method) COMPREPLY=($(compgen -W "auto replications batch-means" -- "$cur")) ;;
        --streams) COMPREPLY=($(compgen -W "common independent" -- "$cur")) ;;
        --policy)
            COMPREPLY=($(compgen -W "$("$prog" policies 2>/dev/null | awk '/^[a-z]/ {print $1}')" -- "$cur")) ;;
        esac
        return 0
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(sed 's/=$//' <<<"$opts")" -- "$cur"))
        return 0
    fi
    case $cmd in
    plot) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    policies)
        COMPREPLY=($(compgen -W "$("$prog" policies 2>/dev/null | awk '/^[a-z]/ {print $1}')" -- "$cur")) ;;
    erlang) ;;
    *) _ccsim_files "$cur" ;;
    esac
    return 0
}

complete -F _ccsim ccsim
