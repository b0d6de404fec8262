// pn_bench_probe: load generator for bench/run.sh, and (latency mode) the delivery target.
//
//   pn_bench_probe burst   --server PORT --body FILE --events N --connections C
//     Sends N events to POST /receive as fast as C keep-alive connections allow. Prints
//     start_epoch_ms (wall clock just before the first send, to compare with nginx's $msec),
//     acked, errors, ack_seconds.
//   pn_bench_probe latency --server PORT --listen PORT --body FILE --rate R --seconds S
//                          --warmup W --connections C --expect-per-event K --drain-seconds D
//     Sends R events/s for W+S seconds (each event gets a unique eventID), and answers 200 to
//     every POST it receives on --listen, recording when each delivery of each eventID arrived.
//     Latency = arrival - acknowledgement (both on this process's steady clock); events of the
//     warm-up are left out. Waits up to D s after the last send for the K deliveries of every
//     measured event. Prints sent, acked, errors, rate, expected, arrived, ack_p50_ms,
//     ack_p99_ms, p50_ms, p90_ms, p99_ms, max_ms.
//
// Only 127.0.0.1 is ever contacted or listened on. Senders are paced open-loop per connection
// (a connection that falls behind sends its next event at once), so the achieved rate is
// printed next to the requested one.
// Thread-safety: single process tool; the receiver runs on one thread, each sender on its own.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "json/json.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string mode;
  int server_port = 0;
  int listen_port = 0;
  std::string body_file;
  int events = 1000;
  int connections = 32;
  double rate = 1000;
  double seconds = 10;
  double warmup = 2;
  int expect_per_event = 1;
  double drain_seconds = 30;
};

[[noreturn]] void Die(const std::string& why) {
  std::cerr << "pn_bench_probe: " << why << "\n";
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  if (argc < 2) Die("usage: pn_bench_probe burst|latency --option value ...");
  Options o;
  o.mode = argv[1];
  if (o.mode != "burst" && o.mode != "latency") Die("unknown mode " + o.mode);
  for (int i = 2; i < argc; i += 2) {
    std::string key = argv[i];
    if (i + 1 >= argc) Die(key + " needs a value");
    std::string value = argv[i + 1];
    char* end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    const bool numeric = end != value.c_str() && *end == '\0' && v >= 0;
    auto number = [&]() {
      if (!numeric) Die(key + ": not a non-negative number: " + value);
      return v;
    };
    if (key == "--server") o.server_port = static_cast<int>(number());
    else if (key == "--listen") o.listen_port = static_cast<int>(number());
    else if (key == "--body") o.body_file = value;
    else if (key == "--events") o.events = static_cast<int>(number());
    else if (key == "--connections") o.connections = std::max(1, static_cast<int>(number()));
    else if (key == "--rate") o.rate = number();
    else if (key == "--seconds") o.seconds = number();
    else if (key == "--warmup") o.warmup = number();
    else if (key == "--expect-per-event") o.expect_per_event = static_cast<int>(number());
    else if (key == "--drain-seconds") o.drain_seconds = number();
    else Die("unknown option " + key);
  }
  if (o.server_port <= 0 || o.server_port > 65535) Die("--server PORT is required");
  if (o.body_file.empty()) Die("--body FILE is required");
  if (o.mode == "latency" && (o.listen_port <= 0 || o.listen_port > 65535)) {
    Die("latency mode needs --listen PORT");
  }
  if (o.mode == "latency" && o.rate <= 0) Die("--rate must be positive");
  return o;
}

// The event template with eventID replaced per event ("bench-<run>-<n>").
class EventBodies {
 public:
  explicit EventBodies(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) Die("cannot read " + path);
    auto doc = pn::ParseJson(text.str());
    if (!doc.ok() || !doc->is_object()) Die(path + " is not a JSON object");
    event_ = std::move(doc).value();
    run_ = std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000);
  }
  std::string Body(int n) const {
    pn::Json e = event_;
    e["eventID"] = "bench-" + run_ + "-" + std::to_string(n);
    return pn::DumpPython(e);
  }

 private:
  pn::Json event_;
  std::string run_;
};

// The n of the eventID "bench-<run>-<n>" in a delivered body, or -1.
int EventNumber(std::string_view body) {
  size_t at = body.find("\"eventID\"");
  if (at == std::string_view::npos) return -1;
  at = body.find('"', at + 9);
  if (at == std::string_view::npos) return -1;
  size_t end = body.find('"', at + 1);
  if (end == std::string_view::npos) return -1;
  std::string_view id = body.substr(at + 1, end - at - 1);
  size_t dash = id.rfind('-');
  if (dash == std::string_view::npos || id.substr(0, 6) != "bench-") return -1;
  int n = 0;
  for (char c : id.substr(dash + 1)) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// One keep-alive connection to the server's /receive.
class Sender {
 public:
  explicit Sender(int port) : port_(port) {}
  // True when the server answered 200.
  bool Post(const std::string& body) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      beast::error_code ec;
      if (!stream_) {
        stream_.emplace(ioc_);
        stream_->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
        if (ec) {
          stream_.reset();
          continue;
        }
        stream_->socket().set_option(tcp::no_delay(true));
      }
      http::request<http::string_body> req{http::verb::post, "/receive", 11};
      req.set(http::field::host, "127.0.0.1");
      req.set(http::field::content_type, "application/json");
      req.keep_alive(true);
      req.body() = body;
      req.prepare_payload();
      http::write(*stream_, req, ec);
      beast::flat_buffer buffer;
      http::response<http::string_body> res;
      if (!ec) http::read(*stream_, buffer, res, ec);
      if (ec) {
        stream_.reset();
        continue;
      }
      if (!res.keep_alive()) stream_.reset();
      return res.result_int() == 200;
    }
    return false;
  }

 private:
  int port_;
  asio::io_context ioc_;
  std::optional<beast::tcp_stream> stream_;
};

// Answers 200 to every request on 127.0.0.1:port and records (event number, arrival time).
class Receiver {
 public:
  explicit Receiver(int port)
      : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)) {
    Accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~Receiver() { Stop(); }
  void Stop() {
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
  }
  int64_t count() const { return count_.load(); }
  std::vector<std::pair<int, SteadyClock::time_point>> arrivals() {
    std::lock_guard lock(mu_);
    return arrivals_;
  }

 private:
  struct Connection : std::enable_shared_from_this<Connection> {
    Connection(tcp::socket s, Receiver* r) : stream(std::move(s)), receiver(r) {}
    void Read() {
      request = {};
      http::async_read(stream, buffer, request,
                       [self = shared_from_this()](beast::error_code ec, size_t) {
                         if (ec) return;
                         self->receiver->Record(self->request.body());
                         self->Reply();
                       });
    }
    void Reply() {
      response = {};
      response.version(11);
      response.result(http::status::ok);
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      http::async_write(stream, response,
                        [self = shared_from_this()](beast::error_code ec, size_t) {
                          if (!ec && self->request.keep_alive()) self->Read();
                        });
    }
    beast::tcp_stream stream;
    Receiver* receiver;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::empty_body> response;
  };

  void Accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (!ec) {
        socket.set_option(tcp::no_delay(true));
        std::make_shared<Connection>(std::move(socket), this)->Read();
      }
      Accept();
    });
  }
  void Record(std::string_view body) {
    auto now = SteadyClock::now();
    int n = EventNumber(body);
    ++count_;
    std::lock_guard lock(mu_);
    arrivals_.emplace_back(n, now);
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<int64_t> count_{0};
  std::mutex mu_;
  std::vector<std::pair<int, SteadyClock::time_point>> arrivals_;
};

double Ms(SteadyClock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return -1;
  size_t at = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(at, sorted.size() - 1)];
}

int Burst(const Options& o) {
  EventBodies bodies(o.body_file);
  std::vector<std::string> prepared;
  prepared.reserve(o.events);
  for (int n = 0; n < o.events; ++n) prepared.push_back(bodies.Body(n));
  std::atomic<int> next{0}, acked{0}, errors{0};
  const auto wall_start = std::chrono::system_clock::now();
  const auto start = SteadyClock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < o.connections; ++c) {
    threads.emplace_back([&] {
      Sender sender(o.server_port);
      for (int n = next++; n < o.events; n = next++) {
        if (sender.Post(prepared[n])) ++acked;
        else ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = Ms(SteadyClock::now() - start) / 1000.0;
  std::printf("start_epoch_ms=%.3f\nacked=%d\nerrors=%d\nack_seconds=%.3f\n",
              std::chrono::duration<double, std::milli>(wall_start.time_since_epoch()).count(),
              acked.load(), errors.load(), seconds);
  return errors.load() == 0 ? 0 : 1;
}

int Latency(const Options& o) {
  EventBodies bodies(o.body_file);
  const int total = static_cast<int>((o.warmup + o.seconds) * o.rate);
  const int first_measured = static_cast<int>(o.warmup * o.rate);
  std::vector<std::string> prepared;
  prepared.reserve(total);
  for (int n = 0; n < total; ++n) prepared.push_back(bodies.Body(n));
  std::vector<SteadyClock::time_point> acked_at(total);
  std::vector<double> ack_ms(total, -1);
  std::vector<char> ok(total, 0);
  Receiver receiver(o.listen_port);

  const auto period = std::chrono::duration<double>(1.0 / o.rate);
  const auto start = SteadyClock::now() + std::chrono::milliseconds(50);
  std::vector<std::thread> threads;
  for (int c = 0; c < o.connections; ++c) {
    threads.emplace_back([&, c] {
      Sender sender(o.server_port);
      for (int n = c; n < total; n += o.connections) {
        auto due = start + std::chrono::duration_cast<SteadyClock::duration>(period * n);
        std::this_thread::sleep_until(due);
        auto sent = SteadyClock::now();
        bool good = sender.Post(prepared[n]);
        auto done = SteadyClock::now();
        acked_at[n] = done;
        ack_ms[n] = Ms(done - sent);
        ok[n] = good ? 1 : 0;
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto sending_ended = SteadyClock::now();
  int acked = 0, measured_acked = 0;
  for (int n = 0; n < total; ++n) {
    acked += ok[n];
    if (n >= first_measured) measured_acked += ok[n];
  }
  // Everything acknowledged, warm-up included, is delivered; wait for all of it (bounded).
  const int64_t expected_all = static_cast<int64_t>(acked) * o.expect_per_event;
  const auto drain_deadline =
      sending_ended + std::chrono::duration_cast<SteadyClock::duration>(
                          std::chrono::duration<double>(o.drain_seconds));
  while (receiver.count() < expected_all && SteadyClock::now() < drain_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  receiver.Stop();

  std::vector<double> latencies;
  int64_t arrived = 0;
  const auto all_arrivals = receiver.arrivals();
  for (const auto& [n, at] : all_arrivals) {
    if (n < first_measured || n >= total || !ok[n]) continue;
    ++arrived;
    latencies.push_back(Ms(at - acked_at[n]));
  }
  std::vector<double> acks;
  for (int n = first_measured; n < total; ++n) {
    if (ok[n]) acks.push_back(ack_ms[n]);
  }
  // A delivery that never arrived counts as infinitely late, so p99 cannot hide it.
  const int64_t expected_measured = static_cast<int64_t>(measured_acked) * o.expect_per_event;
  for (int64_t missing = expected_measured - arrived; missing > 0; --missing) {
    latencies.push_back(std::numeric_limits<double>::infinity());
  }
  std::sort(latencies.begin(), latencies.end());
  std::sort(acks.begin(), acks.end());
  const double send_seconds = Ms(sending_ended - start) / 1000.0;
  std::printf("sent=%d\nacked=%d\nerrors=%d\nrate=%.1f\n", total, acked, total - acked,
              total / std::max(send_seconds, 1e-9));
  // arrived counts the measured events only; arrived_all includes the warm-up's.
  std::printf("expected=%lld\narrived=%lld\narrived_all=%lld\n",
              static_cast<long long>(expected_measured), static_cast<long long>(arrived),
              static_cast<long long>(all_arrivals.size()));
  std::printf("ack_p50_ms=%.3f\nack_p99_ms=%.3f\n", Percentile(acks, 0.5), Percentile(acks, 0.99));
  std::printf("p50_ms=%.3f\np90_ms=%.3f\np99_ms=%.3f\nmax_ms=%.3f\n", Percentile(latencies, 0.5),
              Percentile(latencies, 0.9), Percentile(latencies, 0.99),
              latencies.empty() ? -1.0 : latencies.back());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseOptions(argc, argv);
  try {
    return o.mode == "burst" ? Burst(o) : Latency(o);
  } catch (const std::exception& e) {
    std::cerr << "pn_bench_probe: " << e.what() << "\n";
    return 1;
  }
}
