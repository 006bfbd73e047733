#pragma once
// engine_phase: where the AT port stands (reading a line, running its commands, a command held or reading its
// data block) as one value, and the one function that moves it. An event that means nothing in a phase leaves
// it where it is, so the engine cannot reach a phase the table does not list.
#include <string_view>

namespace agent {

enum class engine_phase {
  off,         // not accepting (booting, powered off): received bytes are dropped unseen
  idle,        // reading a command line: echo and line editing
  running,     // running a line's commands, one after another
  calling,     // inside a command's handler, or a data block's continuation
  answered,    // complete() came before the handler returned held: its result is kept until then
  held,        // the command answers later, through complete(); input and URCs wait for its line to end
  collecting,  // a held command reads its data block after its prompt; complete() is not awaited
};

enum class engine_event {
  start,          // set_accepting(true)
  stop,           // set_accepting(false)
  line_read,      // the reader ended a command line (or one too long)
  call,           // a command's handler, or the continuation of a data block that ended, is called
  returned,       // it returned its result
  returned_held,  // it returned held
  completed,      // complete(): a held command's result
  data_asked,     // ask_for_data(): a prompt, then the host's bytes are a data block
  line_finished,  // the line's final result code was written
  discard,        // discard_input(): the module reboots; everything received and not run is forgotten
};

engine_phase next_engine_phase(engine_phase from, engine_event event);

// A command line is running, held or reading data: its final result code is still to come.
bool line_in_progress(engine_phase phase);

std::string_view engine_phase_name(engine_phase phase);  // for test messages

}  // namespace agent
