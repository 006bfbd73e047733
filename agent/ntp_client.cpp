#include "agent/ntp_client.hpp"

namespace agent {

ntp_client::ntp_client(ntp_client_ports ports) : ports_(std::move(ports)) {}

void ntp_client::start(std::string host) {
  query_ = in_flight{.host = std::move(host)};
  send_attempt();
}

void ntp_client::send_attempt() {
  in_flight& q = *query_;
  q.query = next_query_++;
  ++q.attempts;
  q.sent_at = ports_.clock.unix_seconds();
  // The query number as the fraction makes each request's transmit timestamp, which the answer echoes, its own.
  q.sent = ntp_from_unix(q.sent_at, static_cast<std::uint32_t>(q.query));
  ports_.timers.start_timer(apca::timer_id::ntp, answer_wait);
  ports_.io.ask(q.query, q.host, encode_ntp_request(q.sent));
}

void ntp_client::on_answer(std::uint64_t query, std::string_view datagram) {
  if (!query_ || query_->query != query) return;
  const ntp_decoded decoded = decode_ntp_answer(datagram, query_->sent);
  if (!decoded.answer) {
    // A short datagram or one answering another request says nothing about this one: keep waiting (RFC 4330 §5).
    if (decoded.error == ntp_answer_error::too_short || decoded.error == ntp_answer_error::not_our_request) return;
    return finish({ntp_error::wrong_time});
  }
  const std::int64_t now = ports_.clock.unix_seconds();
  const std::int64_t round_trip = now - query_->sent_at;
  finish({ntp_error::none, unix_from_ntp(decoded.answer->transmitted) + round_trip / 2});
}

void ntp_client::on_unreachable(std::uint64_t query) {
  if (query_ && query_->query == query) finish({ntp_error::network});
}

void ntp_client::on_timer() {
  if (!query_) return;
  if (query_->attempts < attempts) return send_attempt();
  finish({ntp_error::timeout});
}

void ntp_client::cancel() {
  if (!query_) return;
  query_.reset();
  ports_.timers.cancel_timer(apca::timer_id::ntp);
  ports_.io.stop();
}

void ntp_client::finish(ntp_result result) {
  cancel();
  ports_.finished(result);
}

}  // namespace agent
