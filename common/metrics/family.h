#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace numalign::metrics {

// What the registry needs from any family to expose it.
class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help) : name_(std::move(name)), help_(std::move(help)) {}
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  virtual std::string_view type() const = 0;
  // Appends the HELP/TYPE header and every sample of this family.
  virtual void expose(std::string& out) const = 0;

 private:
  std::string name_;
  std::string help_;
};

// All children of one metric name, one child per combination of label values. A child
// reference stays valid for the family's lifetime, so hot paths look a child up once and keep
// it (with() takes a mutex; the child's own operations do not).
template <class Metric>
class Family : public FamilyBase {
 public:
  using Factory = std::function<std::unique_ptr<Metric>()>;

  Family(std::string name, std::string help, std::vector<std::string> label_names, Factory factory)
      : FamilyBase(std::move(name), std::move(help)),
        label_names_(std::move(label_names)),
        factory_(std::move(factory)) {}

  // Values in the order of the family's label names.
  Metric& with(const std::vector<std::string>& label_values) {
    if (label_values.size() != label_names_.size()) {
      throw std::invalid_argument("metric " + name() + ": expected " +
                                  std::to_string(label_names_.size()) + " label values, got " +
                                  std::to_string(label_values.size()));
    }
    std::lock_guard lock(mutex_);
    auto& child = children_[label_values];
    if (!child) child = factory_();
    return *child;
  }

  const std::vector<std::string>& label_names() const { return label_names_; }

  // Calls visit(label_values, metric) for every child, in label-value order, under the lock.
  template <class Visitor>
  void for_each(Visitor&& visit) const {
    std::lock_guard lock(mutex_);
    for (const auto& [values, child] : children_) visit(values, *child);
  }

 private:
  std::vector<std::string> label_names_;
  Factory factory_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

}  // namespace numalign::metrics
