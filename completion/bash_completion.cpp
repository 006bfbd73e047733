#include "completion/bash_completion.hpp"

#include <algorithm>

namespace completion {

namespace {

using cli::flag_word;
using cli::value_kind;

std::string joined(const std::vector<std::string>& words, const char* separator = " ") {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : separator) + word;
  return text;
}

std::vector<std::string> names(const std::vector<flag_word>& flags) {
  std::vector<std::string> out;
  for (const flag_word& flag : flags) out.push_back(flag.name);
  return out;
}

// Every flag the program knows anywhere, once each: a valued one is skipped with its value wherever it appears.
std::vector<flag_word> every_flag(const cli::command_words& words) {
  std::vector<flag_word> all = words.flags;
  for (const cli::verb_word& verb : words.verbs)
    for (const flag_word& flag : verb.flags)
      if (std::none_of(all.begin(), all.end(), [&flag](const flag_word& known) { return known.name == flag.name; }))
        all.push_back(flag);
  return all;
}

std::vector<std::string> flags_taking(const std::vector<flag_word>& flags, value_kind kind) {
  std::vector<std::string> out;
  for (const flag_word& flag : flags)
    if (flag.value == kind) out.push_back(flag.name);
  return out;
}

// The `case $prev` arms: what the value after a flag completes to.
std::string value_arms(const std::vector<flag_word>& flags) {
  std::string text;
  if (const auto dirs = flags_taking(flags, value_kind::directory); !dirs.empty())
    text += "    " + joined(dirs, "|") + ") _sim7600_complete_paths -d; return 0 ;;\n";
  if (const auto files = flags_taking(flags, value_kind::file); !files.empty())
    text += "    " + joined(files, "|") + ") _sim7600_complete_paths -f; return 0 ;;\n";
  if (const auto others = flags_taking(flags, value_kind::text); !others.empty())
    text += "    " + joined(others, "|") + ") return 0 ;;  # a number, a name, a URL: nothing to offer\n";
  return text;
}

std::string valued_flags(const std::vector<flag_word>& flags) {
  std::vector<std::string> out;
  for (const flag_word& flag : flags)
    if (flag.value != value_kind::none) out.push_back(flag.name);
  return joined(out, "|");
}

// The body for a program with verbs: find the verb (the first word that is no flag or flag value), then offer the
// verbs, a verb's sub-words right after it, or the flags accepted there.
std::string verb_body(const cli::command_words& words) {
  const std::string skip = valued_flags(every_flag(words));
  std::string text = "  local verb='' operands=0 i\n"
                     "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
                     "    case ${COMP_WORDS[i]} in\n";
  if (!skip.empty())
    text += "      " + skip +
            ")  # its value follows, as the next word or after '='\n"
            "        [[ ${COMP_WORDS[i+1]} == = ]] && i=$((i + 1))\n"
            "        i=$((i + 1)) ;;\n";
  text += "      -*) ;;\n"
          "      *) if [[ -z $verb ]]; then verb=${COMP_WORDS[i]}; else operands=$((operands + 1)); fi ;;\n"
          "    esac\n"
          "  done\n"
          "  local words\n"
          "  case $verb in\n";
  std::vector<std::string> verb_names;
  for (const cli::verb_word& verb : words.verbs) verb_names.push_back(verb.name);
  text += "    '') words='" + joined(verb_names) + "'; [[ $cur == -* ]] && words='" + joined(names(words.flags)) + "'";
  if (words.file_operands)  // a file where a verb may stand: both
    text += "\n      if [[ $cur != -* ]]; then\n"
            "        _sim7600_complete_paths -f\n"
            "        mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -W \"$words\" -- \"$cur\"); return 0\n"
            "      fi";
  text += " ;;\n";
  for (const cli::verb_word& verb : words.verbs) {
    text += "    " + verb.name + ") words='" + joined(names(verb.flags)) + "'";
    if (!verb.actions.empty())
      text += "\n      if [[ $cur != -* ]]; then ((operands == 0)) || return 0; words='" + joined(verb.actions) +
              "'; fi";
    else if (verb.file_operands)
      text += "; [[ $cur == -* ]] || { _sim7600_complete_paths -f; return 0; }";
    else
      text += "; [[ $cur == -* ]] || return 0";
    text += " ;;\n";
  }
  text += "    *) return 0 ;;\n"
          "  esac\n"
          "  mapfile -t COMPREPLY < <(compgen -W \"$words\" -- \"$cur\")\n";
  return text;
}

// The body for a program that takes files after its flags.
std::string file_body(const cli::command_words& words) {
  return "  if [[ $cur == -* ]]; then\n"
         "    mapfile -t COMPREPLY < <(compgen -W '" +
         joined(names(words.flags)) +
         "' -- \"$cur\")\n"
         "  else\n"
         "    _sim7600_complete_paths -f\n"
         "  fi\n";
}

std::string function_name(const std::string& program) {
  std::string name = "_" + program;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

}  // namespace

std::string bash_completion(const cli::command_words& words) {
  const std::string function = function_name(words.program);
  std::string text =
      "# bash completion for " + words.program +
      ", generated from its command line at build time (completion/): do not edit.\n"
      "# shellcheck shell=bash\n"
      "\n"
      "# Files (-f) or directories (-d) starting with $cur, shown as file names (a slash after a directory).\n"
      "_sim7600_complete_paths() {\n"
      "  compopt -o filenames 2>/dev/null\n"
      "  mapfile -t COMPREPLY < <(compgen \"$1\" -- \"$cur\")\n"
      "}\n"
      "\n" +
      function +
      "() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
      "  # --flag=VALUE: bash splits the word at '=', so the flag is the word before the '='.\n"
      "  if [[ $cur == = ]]; then\n"
      "    cur=''\n"
      "  elif [[ $prev == = ]]; then\n"
      "    prev=${COMP_WORDS[COMP_CWORD-2]}\n"
      "  fi\n"
      "  COMPREPLY=()\n"
      "  case $prev in\n" +
      value_arms(every_flag(words)) +
      "  esac\n" + (words.verbs.empty() ? file_body(words) : verb_body(words)) +
      "}\n"
      "complete -o default -F " +
      function + " " + words.program + "\n";
  return text;
}

}  // namespace completion
