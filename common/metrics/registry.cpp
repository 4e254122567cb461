#include "common/metrics/registry.h"

#include <map>
#include <stdexcept>

#include "common/metrics/exposition.h"

namespace numalign::metrics {
namespace {

class CounterFamily final : public Family<Counter> {
 public:
  using Family::Family;
  std::string_view type() const override { return "counter"; }
  void expose(std::string& out) const override {
    write_header(out, name(), help(), type());
    for_each([&](const std::vector<std::string>& values, const Counter& c) {
      write_sample(out, name(), label_names(), values, {}, {}, c.value());
    });
  }
};

class GaugeFamily final : public Family<Gauge> {
 public:
  using Family::Family;
  std::string_view type() const override { return "gauge"; }
  void expose(std::string& out) const override {
    write_header(out, name(), help(), type());
    for_each([&](const std::vector<std::string>& values, const Gauge& g) {
      write_sample(out, name(), label_names(), values, {}, {}, g.value());
    });
  }
};

class HistogramFamily final : public Family<Histogram> {
 public:
  using Family::Family;
  std::string_view type() const override { return "histogram"; }
  void expose(std::string& out) const override {
    write_header(out, name(), help(), type());
    const std::string bucket_name = name() + "_bucket";
    for_each([&](const std::vector<std::string>& values, const Histogram& h) {
      const auto snap = h.snapshot();
      for (std::size_t i = 0; i < snap.upper_bounds.size(); ++i) {
        write_sample(out, bucket_name, label_names(), values, "le",
                     format_value(snap.upper_bounds[i]),
                     static_cast<double>(snap.cumulative_counts[i]));
      }
      write_sample(out, bucket_name, label_names(), values, "le", "+Inf",
                   static_cast<double>(snap.count));
      write_sample(out, name() + "_sum", label_names(), values, {}, {}, snap.sum);
      write_sample(out, name() + "_count", label_names(), values, {}, {},
                   static_cast<double>(snap.count));
    });
  }
};

class CallbackGaugeFamily final : public FamilyBase {
 public:
  CallbackGaugeFamily(std::string name, std::string help, std::vector<std::string> label_names)
      : FamilyBase(std::move(name), std::move(help)), label_names_(std::move(label_names)) {}
  std::string_view type() const override { return "gauge"; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  void add(std::vector<std::string> label_values, std::function<double()> read) {
    if (label_values.size() != label_names_.size()) {
      throw std::invalid_argument("metric " + name() + ": wrong number of label values");
    }
    std::lock_guard lock(mutex_);
    samples_[std::move(label_values)] = std::move(read);
  }

  void expose(std::string& out) const override {
    write_header(out, name(), help(), type());
    std::lock_guard lock(mutex_);
    for (const auto& [values, read] : samples_) {
      write_sample(out, name(), label_names_, values, {}, {}, read());
    }
  }

 private:
  std::vector<std::string> label_names_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::function<double()>> samples_;
};

void validate(const std::string& name, const std::vector<std::string>& label_names) {
  if (!is_valid_metric_name(name)) throw std::invalid_argument("invalid metric name: " + name);
  for (const auto& label : label_names) {
    if (!is_valid_label_name(label) || label == "le") {
      throw std::invalid_argument("invalid label name for " + name + ": " + label);
    }
  }
}

}  // namespace

template <class F>
F& Registry::find_or_add(const std::string& name, const std::vector<std::string>& label_names,
                         const std::function<std::unique_ptr<F>()>& make) {
  validate(name, label_names);
  std::lock_guard lock(mutex_);
  for (auto& family : families_) {
    if (family->name() != name) continue;
    auto* same = dynamic_cast<F*>(family.get());
    if (same == nullptr) {
      throw std::invalid_argument("metric " + name + " already registered with another type");
    }
    if constexpr (requires { same->label_names(); }) {
      if (same->label_names() != label_names) {
        throw std::invalid_argument("metric " + name + " already registered with other labels");
      }
    }
    return *same;
  }
  auto family = make();
  auto& ref = *family;
  families_.push_back(std::move(family));
  return ref;
}

Family<Counter>& Registry::counter(const std::string& name, const std::string& help,
                                   std::vector<std::string> label_names) {
  return find_or_add<CounterFamily>(name, label_names, [&] {
    return std::make_unique<CounterFamily>(name, help, label_names,
                                           [] { return std::make_unique<Counter>(); });
  });
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help,
                               std::vector<std::string> label_names) {
  return find_or_add<GaugeFamily>(name, label_names, [&] {
    return std::make_unique<GaugeFamily>(name, help, label_names,
                                         [] { return std::make_unique<Gauge>(); });
  });
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       std::vector<std::string> label_names,
                                       std::vector<double> upper_bounds) {
  Histogram validated(upper_bounds);  // throws on unsorted bounds before anything is registered
  return find_or_add<HistogramFamily>(name, label_names, [&] {
    return std::make_unique<HistogramFamily>(name, help, label_names, [upper_bounds] {
      return std::make_unique<Histogram>(upper_bounds);
    });
  });
}

void Registry::gauge_callback(const std::string& name, const std::string& help,
                              std::function<double()> read) {
  gauge_callback(name, help, {}, {}, std::move(read));
}

void Registry::gauge_callback(const std::string& name, const std::string& help,
                              std::vector<std::string> label_names,
                              std::vector<std::string> label_values, std::function<double()> read) {
  find_or_add<CallbackGaugeFamily>(name, label_names, [&] {
    return std::make_unique<CallbackGaugeFamily>(name, help, label_names);
  }).add(std::move(label_values), std::move(read));
}

std::string Registry::expose() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& family : families_) family->expose(out);
  return out;
}

}  // namespace numalign::metrics
