import { BUILTIN_PROFILE_IDS, listGlossaryTerms } from "@sipcodes/core";
import type { Argument, Command, Option } from "commander";
import { DIRECTION_WORDS, FORMAT_WORDS } from "../options.ts";

const profiles = BUILTIN_PROFILE_IDS.join(" ");

/** What an option's value can be: a list of words, files, or both. Options not named take free text. */
interface Values {
  words?: readonly string[];
  files?: boolean;
}

/** Values of options whose commander definition has no choices list. */
const OPTION_VALUES: Record<string, Values> = {
  "--profile": { words: BUILTIN_PROFILE_IDS, files: true },
  "--direction": { words: DIRECTION_WORDS },
  "--class": { words: ["1xx", "2xx", "3xx", "4xx", "5xx", "6xx"] },
  // explain's --format (stats' has a choices list, which comes first).
  "--format": { words: FORMAT_WORDS },
  "--config": { files: true },
};

function optionValues(option: Option): Values | undefined {
  if (!option.required && !option.optional) return undefined;
  const choices = (option as Option & { argChoices?: string[] }).argChoices;
  return choices ? { words: choices } : (OPTION_VALUES[option.long ?? ""] ?? {});
}

/** What a command's positional arguments can be. */
function positionalValues(command: Command): Values {
  const args = (command as Command & { registeredArguments: readonly Argument[] })
    .registeredArguments;
  const first = args[0] as (Argument & { argChoices?: string[] }) | undefined;
  if (command.commands.length) return { words: command.commands.map((c) => c.name()) };
  if (!first) return {};
  if (first.argChoices) return { words: first.argChoices };
  if (first.name() === "file") return { files: true };
  if (command.name() === "glossary") {
    return { words: listGlossaryTerms().flatMap((e) => (/\s/.test(e.term) ? [] : [e.term])) };
  }
  return {};
}

const quote = (words: readonly string[]) => words.join(" ").replace(/["$`\\]/g, "");

function compgen(values: Values): string {
  const parts: string[] = [];
  if (values.words?.length) parts.push(`$(compgen -W "${quote(values.words)}" -- "$cur")`);
  if (values.files) parts.push(`$(compgen -f -- "$cur")`);
  return `COMPREPLY=( ${parts.join(" ")} )`;
}

/** The bash case block for one command: its options, their values, its positionals. */
function bashCase(pattern: string, command: Command): string {
  const options = command.options.filter((o) => o.long);
  const opts = options.flatMap((o) => [o.long as string]).concat("--help");
  const valueCases = options.flatMap((o) => {
    const values = optionValues(o);
    if (!values) return [];
    const names = [o.long, o.short].filter(Boolean).join("|");
    return [`        ${names}) ${compgen(values)}; return ;;`];
  });
  return `    ${pattern})
      opts="${opts.join(" ")}"
      case "$prev" in
${valueCases.join("\n")}
      esac
      _sipcode_positional() { ${compgen(positionalValues(command))}; } ;;`;
}

/**
 * Shell completion derived from the program itself: commands, each command's
 * options, the values an option takes (profiles, classes, formats, directions)
 * and files only where a file is expected (a CDR file, a profile or config file).
 */
export function completionScript(shell: "bash" | "zsh" | "fish", program: Command): string {
  const commands = program.commands.map((c) => ({
    name: c.name(),
    description: c.description().replace(/'/g, ""),
    options: c.options.map((o) => o.long).filter((o): o is string => Boolean(o)),
  }));
  const names = commands.map((c) => c.name).join(" ");
  if (shell === "bash") {
    const cases = program.commands.flatMap((c) => [
      ...c.commands.map((sub) => bashCase(`"${c.name()} ${sub.name()}"`, sub)),
      bashCase(c.name() === "explain" ? 'explain|""' : c.name(), c),
    ]);
    const nested = program.commands.filter((c) => c.commands.length).map((c) => c.name());
    return `# sipcode bash completion: eval "$(sipcode completion bash)"
_sipcode() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" opts="" i
  [ "$COMP_CWORD" -gt 0 ] && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${names.replace(/ /g, "|")})
        cmd="\${COMP_WORDS[i]}"
        case "$cmd" in
          ${nested.join("|") || "__none__"})
            [ $((i + 1)) -lt "$COMP_CWORD" ] && cmd="$cmd \${COMP_WORDS[i+1]}" ;;
        esac
        break ;;
      -*) ;;
      *) break ;;
    esac
  done
  if [ -z "$cmd" ] && [ "$COMP_CWORD" -eq 1 ] && [[ "$cur" != -* ]]; then
    COMPREPLY=( $(compgen -W "${names}" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases.join("\n")}
    *) return ;;
  esac
  if [[ "$cur" == -* ]]; then
    [ -z "$cmd" ] && opts="$opts --version"
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    _sipcode_positional
  fi
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
    _arguments '*--profile[profile id or file]:profile:(${profiles})' '*--direction[call direction]:direction:(inbound outbound in out)' '*--audience[audience]:audience:(operator end-user)' '*--by[group by]:field:(trunk customer direction)' '*--json[print JSON]' '*:file:_files'
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
complete -c sipcode -l direction -a 'inbound outbound in out'
`;
}
