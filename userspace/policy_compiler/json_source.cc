// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// json_source.cc - positions for JSON values via the nlohmann SAX parser.
//
// The lexer pulls characters one at a time from our CountingIter, which
// records how far the input has been read. When a SAX event fires, the
// lexer has consumed exactly the token of that event (plus one look-ahead
// character after a number). Between two events there is only whitespace
// and at most one ',' or ':', so a value starts at the first character after
// the previous event's end that is none of those.
#include "json_source.h"

#include <algorithm>
#include <iterator>
#include <unordered_set>

namespace policyc {

namespace {

class CountingIter {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIter() = default;
  CountingIter(const char* p, const char** high) : p_(p), high_(high) {}
  reference operator*() const { return *p_; }
  CountingIter& operator++() {
    ++p_;
    if (high_ != nullptr && p_ > *high_) *high_ = p_;
    return *this;
  }
  CountingIter operator++(int) {
    CountingIter t = *this;
    ++*this;
    return t;
  }
  bool operator==(const CountingIter& o) const { return p_ == o.p_; }
  bool operator!=(const CountingIter& o) const { return p_ != o.p_; }

 private:
  const char* p_ = nullptr;
  const char** high_ = nullptr;
};

class PositionSax : public nlohmann::json_sax<Json> {
 public:
  PositionSax(std::string_view text, Json* doc, SourceMap* map,
              const char** high)
      : text_(text), doc_(doc), map_(map), high_(high) {
    // The lexer skips a UTF-8 byte order mark silently.
    if (text_.size() >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") last_end_ = 3;
  }

  bool null() override { return put(Json(nullptr)) != nullptr; }
  bool boolean(bool v) override { return put(Json(v)) != nullptr; }
  bool number_integer(number_integer_t v) override {
    return put(Json(v)) != nullptr;
  }
  bool number_unsigned(number_unsigned_t v) override {
    return put(Json(v)) != nullptr;
  }
  bool number_float(number_float_t v, const string_t&) override {
    return put(Json(v)) != nullptr;
  }
  bool string(string_t& v) override { return put(Json(v)) != nullptr; }
  bool binary(binary_t&) override { return false; }  // not produced by JSON

  bool start_object(std::size_t) override { return open(Json::object()); }
  bool start_array(std::size_t) override { return open(Json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    Frame& top = stack_.back();
    std::string ptr = pointer_append(top.pointer, k);
    std::size_t start = token_start();
    map_->set_key(ptr, start);
    if (!top.keys.insert(k).second) {
      fail("duplicate key \"" + k + "\"", start, ptr);
      return false;
    }
    top.key = k;
    mark_end();
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    if (failed_) return false;
    std::string msg = ex.what();
    // "[json.exception.parse_error.101] parse error at line L, column C: X"
    std::size_t col = msg.find(", column ");
    if (col != std::string::npos) {
      std::size_t colon = msg.find(": ", col);
      if (colon != std::string::npos) msg = msg.substr(colon + 2);
    }
    std::size_t dash = msg.find(" - ");
    if (dash != std::string::npos) msg.replace(dash, 3, ": ");
    std::size_t off = position == 0 ? 0 : position - 1;
    fail(msg, std::min(off, text_.size()), context_pointer());
    return false;
  }

  bool failed() const { return failed_; }
  const JsonError& error() const { return error_; }

 private:
  struct Frame {
    Json* value;
    std::string pointer;
    std::size_t next_index = 0;
    std::string key;
    std::unordered_set<std::string> keys;
  };

  std::size_t consumed() const {
    return static_cast<std::size_t>(*high_ - text_.data());
  }
  void mark_end() { last_end_ = consumed(); }

  std::size_t token_start() const {
    std::size_t i = last_end_;
    while (i < text_.size()) {
      char c = text_[i];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' &&
          c != ':') {
        break;
      }
      ++i;
    }
    return i;
  }

  // Adds a value to the current container; returns it (nullptr on failure).
  Json* put(Json v) {
    std::size_t start = token_start();
    Json* slot;
    std::string ptr;
    if (stack_.empty()) {
      *doc_ = std::move(v);
      slot = doc_;
    } else if (stack_.back().value->is_array()) {
      Frame& top = stack_.back();
      ptr = pointer_append(top.pointer, top.next_index++);
      top.value->push_back(std::move(v));
      slot = &top.value->back();
    } else {
      Frame& top = stack_.back();
      ptr = pointer_append(top.pointer, top.key);
      slot = &((*top.value)[top.key] = std::move(v));
      top.key.clear();
    }
    map_->set_value(ptr, start);
    last_ptr_ = ptr;
    mark_end();
    return slot;
  }

  bool open(Json v) {
    if (stack_.size() >= kMaxJsonDepth) {
      fail("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels",
           token_start(), context_pointer());
      return false;
    }
    Json* slot = put(std::move(v));
    stack_.push_back(Frame{slot, last_ptr_, 0, {}, {}});
    return true;
  }

  bool close() {
    stack_.pop_back();
    mark_end();
    return true;
  }

  std::string context_pointer() const {
    if (stack_.empty()) return "";
    const Frame& top = stack_.back();
    if (!top.value->is_array() && !top.key.empty()) {
      return pointer_append(top.pointer, top.key);
    }
    return top.pointer;
  }

  void fail(std::string msg, std::size_t offset, std::string ptr) {
    failed_ = true;
    error_.message = std::move(msg);
    error_.offset = offset;
    error_.pointer = std::move(ptr);
  }

  std::string_view text_;
  Json* doc_;
  SourceMap* map_;
  const char** high_;
  std::vector<Frame> stack_;
  std::size_t last_end_ = 0;
  std::string last_ptr_;
  bool failed_ = false;
  JsonError error_;
};

}  // namespace

SourceMap::SourceMap(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

LineCol SourceMap::line_col(std::size_t offset) const {
  if (line_starts_.empty()) return {1, 1};
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());
  std::size_t col = 1;
  for (std::size_t i = line_starts_[line - 1]; i < offset; ++i) {
    // UTF-8 continuation bytes do not start a character.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;
  }
  return {line, col};
}

void SourceMap::set_value(const std::string& pointer, std::size_t offset) {
  values_[pointer] = offset;
}

void SourceMap::set_key(const std::string& pointer, std::size_t offset) {
  keys_[pointer] = offset;
}

LineCol SourceMap::value_position(const std::string& pointer) const {
  std::string p = pointer;
  for (;;) {
    auto it = values_.find(p);
    if (it != values_.end()) return line_col(it->second);
    if (p.empty()) return line_col(0);
    p.erase(p.rfind('/'));
  }
}

LineCol SourceMap::key_position(const std::string& pointer) const {
  auto it = keys_.find(pointer);
  if (it != keys_.end()) return line_col(it->second);
  return value_position(pointer);
}

bool parse_json(std::string_view text, Json* doc, SourceMap* map,
                JsonError* err) {
  *map = SourceMap(text);
  const char* high = text.data();
  PositionSax sax(text, doc, map, &high);
  CountingIter first(text.data(), &high);
  CountingIter last(text.data() + text.size(), nullptr);
  bool ok = Json::sax_parse(first, last, &sax);
  if (ok && !sax.failed()) return true;
  if (sax.failed()) {
    *err = sax.error();
  } else {
    err->message = "invalid json";
    err->offset = 0;
  }
  *doc = Json();
  return false;
}

std::string pointer_append(const std::string& base, std::string_view token) {
  std::string out = base;
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_append(const std::string& base, std::size_t index) {
  return base + "/" + std::to_string(index);
}

}  // namespace policyc
