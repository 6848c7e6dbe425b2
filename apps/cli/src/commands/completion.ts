import { BUILTIN_PROFILE_IDS } from "@sipcodes/core";
import type { Command } from "commander";

const profiles = BUILTIN_PROFILE_IDS.join(" ");

/** Shell completion for the subcommands and their long options, derived from the program itself. */
export function completionScript(shell: "bash" | "zsh" | "fish", program: Command): string {
  const commands = program.commands.map((c) => ({
    name: c.name(),
    description: c.description().replace(/'/g, ""),
    options: c.options.map((o) => o.long).filter((o): o is string => Boolean(o)),
  }));
  const names = commands.map((c) => c.name).join(" ");
  if (shell === "bash") {
    const cases = commands.map((c) => `    ${c.name}) opts="${c.options.join(" ")}" ;;`).join("\n");
    return `# sipcode bash completion: eval "$(sipcode completion bash)"
_sipcode() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="\${COMP_WORDS[1]}" opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names} --help --version" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    *) opts="${commands.find((c) => c.name === "explain")?.options.join(" ") ?? ""}" ;;
  esac
  case "\${COMP_WORDS[COMP_CWORD-1]}" in
    --profile|-p) COMPREPLY=( $(compgen -W "${profiles}" -- "$cur") $(compgen -f -- "$cur") ); return ;;
    --direction|-d) COMPREPLY=( $(compgen -W "inbound outbound" -- "$cur") ); return ;;
    --audience|-a) COMPREPLY=( $(compgen -W "operator end-user" -- "$cur") ); return ;;
    --by|-b) COMPREPLY=( $(compgen -W "trunk customer direction" -- "$cur") ); return ;;
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "$opts" -- "$cur") ); else COMPREPLY=( $(compgen -f -- "$cur") ); fi
}
complete -F _sipcode sipcode
`;
  }
  if (shell === "zsh") {
    const list = commands.map((c) => `    '${c.name}:${c.description}'`).join("\n");
    return `#compdef sipcode
# sipcode zsh completion: sipcode completion zsh > "\${fpath[1]}/_sipcode"
_sipcode() {
  local -a commands
  commands=(
${list}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
  else
    _arguments '*--profile[profile id or file]:profile:(${profiles})' '*--direction[call direction]:direction:(inbound outbound)' '*--audience[audience]:audience:(operator end-user)' '*--by[group by]:field:(trunk customer direction)' '*--json[print JSON]' '*:file:_files'
  fi
}
_sipcode "$@"
`;
  }
  const lines = commands.flatMap((c) => [
    `complete -c sipcode -n '__fish_use_subcommand' -a ${c.name} -d '${c.description}'`,
    ...c.options.map(
      (o) =>
        `complete -c sipcode -n '__fish_seen_subcommand_from ${c.name}' -l ${o.replace(/^--/, "")}`,
    ),
  ]);
  return `# sipcode fish completion: sipcode completion fish > ~/.config/fish/completions/sipcode.fish
${lines.join("\n")}
complete -c sipcode -l profile -a '${profiles}'
complete -c sipcode -l direction -a 'inbound outbound'
`;
}
