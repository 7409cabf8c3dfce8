# bash completion for vmmctl(1): verbs, options, and machine names (from
# `vmmctl list --all --no-legend`, never asking for a password).
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

__vmmctl_machines() {
  # $1...: the -H/--host arguments already on the command line
  vmmctl "$@" --no-ask-password list --all --no-legend 2>/dev/null | while read -r name _; do
    printf '%s\n' "$name"
  done
}

_vmmctl() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  # "--json=<TAB>" arrives as "--json" "=" ""
  [[ $prev == "=" ]] && prev=${COMP_WORDS[COMP_CWORD-2]}
  [[ $cur == "=" ]] && { prev=${COMP_WORDS[COMP_CWORD-1]}; cur=""; }
  local verbs="create define start console stop kill reboot pause resume list status show dumpconfig edit undefine autostart version"
  local global_opts="-H --host --json --no-legend -q --quiet --no-ask-password -h --help"
  local -a host=()
  local verb="" name_given=0 i word

  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    case $word in
      -H|--host) host=(--host "${COMP_WORDS[i+1]}"); ((i++)); continue ;;
      --json|--kernel|--initrd|--cmdline|--memory|--vcpus|--disk|--net|--vsock|--timeout|--name|-p|--property)
        # bash splits "--json=short" at '=' (COMP_WORDBREAKS): skip the '=' too
        [[ ${COMP_WORDS[i+1]} == "=" ]] && ((i++))
        ((i++)); continue ;;
      -*) continue ;;
    esac
    if [[ -z $verb ]]; then
      verb=$word
    else
      name_given=1
    fi
  done

  case $prev in
    -H|--host) COMPREPLY=($(compgen -A hostname -- "$cur")); return ;;
    --json) COMPREPLY=($(compgen -W "pretty short" -- "$cur")); return ;;
    --kernel|--initrd|--disk) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --cmdline|--memory|--vcpus|--net|--vsock|--timeout|--name) return ;;
    -p|--property)
      COMPREPLY=($(compgen -W "Name UUID State VCPUs MemoryMiB Kernel Autostart Unit MainPID StateChangeTimestamp ConsoleSocket ControlSocket" -- "$cur"))
      return ;;
  esac

  if [[ -z $verb ]]; then
    COMPREPLY=($(compgen -W "$verbs $global_opts" -- "$cur"))
    return
  fi

  local opts=""
  case $verb in
    create) opts="--kernel --initrd --cmdline --memory --vcpus --disk --net --rng --vsock --autostart --start --console --timeout" ;;
    define) opts="--name" ;;
    start) opts="--console --timeout" ;;
    console) opts="--timeout" ;;
    stop) opts="--timeout --force" ;;
    list) opts="-a --all" ;;
    show) opts="-p --property" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts $global_opts" -- "$cur"))
    return
  fi
  case $verb in
    define) COMPREPLY=($(compgen -f -- "$cur")) ;;
    create|list|version) ;;
    autostart)
      if ((name_given)); then
        COMPREPLY=($(compgen -W "on off" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "$(__vmmctl_machines "${host[@]}")" -- "$cur"))
      fi ;;
    *) ((name_given)) || COMPREPLY=($(compgen -W "$(__vmmctl_machines "${host[@]}")" -- "$cur")) ;;
  esac
}

complete -F _vmmctl vmmctl
