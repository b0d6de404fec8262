#include "pg_fleet.h"

#include <libpq-fe.h>

#include <fstream>
#include <regex>
#include <thread>

namespace pn::e2e {

Result<std::vector<std::vector<std::string>>> SqlProbe::Query(const std::string& sql) const {
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : params_) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 0);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    PQfinish(conn);
    return UnavailableError("connecting to the test database: " + why);
  }
  PGresult* res = PQexec(conn, sql.c_str());
  if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK) {
    std::string why = PQerrorMessage(conn);
    PQclear(res);
    PQfinish(conn);
    return InternalError(sql + ": " + why);
  }
  std::vector<std::vector<std::string>> rows(static_cast<size_t>(PQntuples(res)));
  for (int r = 0; r < PQntuples(res); ++r) {
    for (int c = 0; c < PQnfields(res); ++c) rows[r].emplace_back(PQgetvalue(res, r, c));
  }
  PQclear(res);
  PQfinish(conn);
  return rows;
}

Result<int64_t> SqlProbe::Count(const std::string& sql) const {
  PN_ASSIGN_OR_RETURN(auto rows, Query(sql));
  if (rows.size() != 1 || rows[0].size() != 1) {
    return InternalError(sql + ": expected one value, got " + std::to_string(rows.size()) +
                         " rows");
  }
  return std::stoll(rows[0][0]);
}

Fleet::Fleet(std::unique_ptr<testing::PgCluster> cluster, std::string database)
    : cluster_(std::move(cluster)),
      database_(std::move(database)),
      sql_(cluster_->ConnectParams(database_)) {}

Result<std::unique_ptr<Fleet>> Fleet::Create() {
  PN_ASSIGN_OR_RETURN(auto cluster, testing::PgCluster::Start());
  PN_ASSIGN_OR_RETURN(std::string database, cluster->CreateDatabase());
  return std::unique_ptr<Fleet>(new Fleet(std::move(cluster), std::move(database)));
}

std::unique_ptr<ServerProcess> Fleet::StartServer(const FleetServerSettings& s,
                                                  std::string* output) {
  auto server = std::make_unique<ServerProcess>();
  const std::string ini = server->dir() + "/config.ini";
  std::ofstream(ini) << "[notifications]\npolicy_url =\n"
                     << "[database]\npeewee_url = " << url()
                     << "\nconnect_attempts = 5\nconnect_wait = 1\n"
                     << "[delivery]\npolicy_timeout = " << s.policy_timeout_s
                     << "\ntarget_timeout = " << s.target_timeout_s
                     << "\nmax_in_flight_per_target = " << s.max_in_flight_per_target
                     << "\nretry_schedule = " << s.retry_schedule << "\njitter = 0\n";
  std::vector<std::string> args{"-c", ini, "--role", s.role, "--lease-margin",
                                std::to_string(s.lease_margin_s)};
  if (!server->Start(args, {{"PEEWEE_URL", url()}})) {
    if (output != nullptr) *output += server->output();
    return nullptr;
  }
  return server;
}

std::vector<std::unique_ptr<ServerProcess>> Fleet::StartServers(
    const std::vector<FleetServerSettings>& settings, std::string* output) {
  std::vector<std::unique_ptr<ServerProcess>> servers(settings.size());
  std::vector<std::string> outputs(settings.size());
  std::vector<std::thread> starters;
  for (size_t i = 0; i < settings.size(); ++i) {
    starters.emplace_back([&, i] { servers[i] = StartServer(settings[i], &outputs[i]); });
  }
  for (auto& t : starters) t.join();
  if (output != nullptr) {
    for (const auto& o : outputs) *output += o;
  }
  return servers;
}

std::string LeaseOwnerOf(const ServerProcess& server) {
  static const std::regex kOwner(R"(delivery workers started: \d+, lease owners (\S+)/1\.\.)");
  std::smatch m;
  const std::string out = server.output();
  return std::regex_search(out, m, kOwner) ? m[1].str() : "";
}

std::string MultiprocessEvent(const std::string& id, const std::string& group) {
  return R"({"specversion": "1.0", "id": ")" + id + R"(", "source": "/mp/)" + group +
         R"(", "type": "org.example.multiprocess", "data": {"id": ")" + id + R"("}})";
}

void WaitABit() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }

}  // namespace pn::e2e
