#include "fleet/fleet_plan.hpp"

#include <algorithm>

#include "fleet/model_names.hpp"
#include "fleet/seeded_random.hpp"
#include "fleet/shares.hpp"

namespace fleet {

namespace {

// How many modules each group has: counted groups exactly, the others split what the counts leave.
common::result<std::vector<std::size_t>, std::string> group_sizes(const fleet_file& file, std::size_t module_count) {
  std::vector<std::size_t> sizes(file.groups.size());
  std::size_t counted = 0;
  std::vector<std::size_t> shared;  // groups with a share, and the one that takes the rest
  std::vector<std::uint64_t> parts;
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < file.groups.size(); ++i) {
    const group& one = file.groups[i];
    if (one.count) {
      sizes[i] = *one.count;
      counted += *one.count;
      continue;
    }
    shared.push_back(i);
    parts.push_back(one.share ? share_parts(*one.share) : 0);
    given += parts.back();
  }
  if (counted > module_count)
    return common::unexpected(std::string("the groups' counts add up to ") + std::to_string(counted) +
                              ", more than the fleet's " + std::to_string(module_count) + " modules (--count)");
  if (shared.empty() && counted != module_count)
    return common::unexpected(std::string("the groups' counts add up to ") + std::to_string(counted) +
                              ", but the fleet has " + std::to_string(module_count) +
                              " modules (--count): give one group neither share nor count to take the rest");
  // The group that takes the rest has what the shares leave (the parser made sure at most one does, and that the
  // shares make 100% when none does).
  for (std::size_t k = 0; k < shared.size(); ++k)
    if (!file.groups[shared[k]].share) parts[k] = share_whole - given;
  const auto split = split_by_largest_remainder(module_count - counted, parts);
  for (std::size_t k = 0; k < shared.size(); ++k) sizes[shared[k]] = split[k];
  return sizes;
}

}  // namespace

bool takes_offered_ota(const fleet_file& file, const group& target) {
  return (file.jobs.module_ota && target.module_ota) || (file.jobs.host_ota && target.host_ota);
}

bool may_hit(const fleet_file& file, const fault& one, const group& target) {
  if (!one.group.empty() && one.group != target.name) return false;
  return !one.when.phase || takes_offered_ota(file, target);
}

common::result<fleet_plan, std::string> plan_fleet(const fleet_file& file, std::size_t module_count,
                                                   std::uint64_t seed) {
  auto sizes = group_sizes(file, module_count);
  if (!sizes) return common::unexpected(std::move(sizes).error());

  fleet_plan plan;
  plan.modules.reserve(module_count);
  for (std::size_t g = 0; g < file.groups.size(); ++g)
    for (std::size_t k = 0; k < sizes.value()[g]; ++k) {
      const std::size_t number = plan.modules.size();
      const std::uint64_t own_seed = derived_seed(seed, seed_purpose::module_host, number);
      plan.modules.push_back({static_cast<std::uint32_t>(g), own_seed, file.groups[g].expect});
    }

  for (std::size_t f = 0; f < file.faults.size(); ++f) {
    const fault& one = file.faults[f];
    std::vector<std::size_t> eligible;
    for (std::size_t m = 0; m < module_count; ++m)
      if (may_hit(file, one, file.groups[plan.modules[m].group])) eligible.push_back(m);
    const std::size_t hits = one.count ? *one.count : round_share(share_parts(one.share.value_or(0)), eligible.size());
    if (hits > eligible.size())
      return common::unexpected("line " + std::to_string(one.line) + ": the " +
                                std::string(word_of(one.kind, fault_kind_words)) +
                                " fault hits " + std::to_string(hits) + " modules, but only " +
                                std::to_string(eligible.size()) + " of the fleet's " + std::to_string(module_count) +
                                " may be hit" + (one.group.empty() ? "" : " (group '" + one.group + "')"));
    seeded_random random(derived_seed(seed, seed_purpose::fault_hits, f));
    plan.fault_hits.push_back(choose(std::move(eligible), hits, random));
    for (const auto m : plan.fault_hits.back())
      plan.modules[m].expect = one.expect.applied_to(plan.modules[m].expect);
  }
  return plan;
}

std::vector<std::size_t> shard_members(std::size_t module_count, shard_position shard) {
  std::vector<std::size_t> members;
  for (std::size_t m = shard.index; m < module_count; m += shard.count) members.push_back(m);
  return members;
}

fleet_plan plan_of_members(const fleet_plan& whole, const std::vector<std::size_t>& members) {
  fleet_plan part;
  part.modules.reserve(members.size());
  for (const std::size_t m : members) part.modules.push_back(whole.modules.at(m));
  for (const auto& hits : whole.fault_hits) {
    std::vector<std::size_t> local;
    for (const std::size_t m : hits) {
      const auto at = std::lower_bound(members.begin(), members.end(), m);
      if (at != members.end() && *at == m) local.push_back(static_cast<std::size_t>(at - members.begin()));
    }
    part.fault_hits.push_back(std::move(local));
  }
  return part;
}

}  // namespace fleet
