#pragma once
// session_phase: where one HTTPS connection of ads-sim stands, as one enum, and the one function that moves it.
// Sans-I/O: the session feeds it events and acts on the phase it enters (see https_session.cpp).
//
// A connection reads a request, has the core handle it, writes the answer, and reads the next (keep-alive). The
// core works off the I/O thread, so its answer comes back as an event; every request is answered at once
// (PROTOCOL.md §2.4: no long poll).
#include <cstdint>
#include <string_view>

namespace ads_sim {

enum class session_phase : std::uint8_t {
  handshaking,     // TLS handshake in flight
  reading,         // reading the next request; nothing owed to the client
  handling,        // the core has the request
  answering,       // writing an answer
  answering_last,  // writing the last answer: the connection closes after it
  closing,         // TLS shutdown, then the socket closes; nothing more happens
  upgraded,        // the connection became a console terminal (terminal_session): HTTP is over for it
};

enum class session_event : std::uint8_t {
  handshake_done,
  request_read,   // a whole request arrived
  request_bad,    // a request too large or malformed arrived: it is owed an error answer, then the end
  read_ended,     // the client closed, the read failed or timed out
  core_answered,  // an answer to write (keep-alive)
  core_answered_last,  // an answer to write, after which the connection closes (Connection: close)
  core_dropped,   // the core wants the connection gone without an answer (an injected fault)
  core_upgraded,  // the core let the request open a terminal: the connection is handed to a terminal_session
  write_done,
  write_failed,
  close,          // an I/O error or the service stopping: close as soon as no write is in flight
};

// The phase after `event` in `phase`. An event that does not apply (a late core answer after the connection began
// closing) leaves the phase as it is.
session_phase next_phase(session_phase phase, session_event event);

// Whether a read of the next request is in flight in `phase`.
bool reads_in(session_phase phase);
// Whether an answer is being written in `phase`.
bool writes_in(session_phase phase);

std::string_view phase_name(session_phase phase);

}  // namespace ads_sim
