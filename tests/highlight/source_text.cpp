// The source tree, read as text: see source_text.hpp.
#include "source_text.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace merit::highlight {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // as an editor shows a CRLF file
    lines.push_back(line);
  }
  return lines;
}

std::vector<fs::path> shipped_rule_files() {
  std::vector<fs::path> files;
  for (const char* dir : {"rules", "examples", "tests/rules", "tests/golden/check"}) {
    for (const auto& entry : fs::recursive_directory_iterator(kSource / dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".merit") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

json load_json(const fs::path& path) {
  return json::parse(read_text(path));
}

std::set<std::string> words_of_pattern(const std::string& re) {
  std::set<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) words.insert(word);
    word.clear();
  };
  for (std::size_t i = 0; i < re.size(); ++i) {
    if (re[i] == '\\') {
      flush();
      ++i;
    } else if (re[i] == '[') {
      flush();
      for (++i; i < re.size() && re[i] != ']'; ++i) {
        if (re[i] == '\\') ++i;
      }
    } else if (std::isalpha(static_cast<unsigned char>(re[i])) || re[i] == '_') {
      word += re[i];
    } else {
      flush();
    }
  }
  flush();
  return words;
}

std::set<std::string> words_of_rule(const json& rule) {
  std::set<std::string> words;
  for (const char* key : {"match", "begin", "end"}) {
    if (rule.contains(key)) words.merge(words_of_pattern(rule.at(key).get<std::string>()));
  }
  if (rule.contains("patterns")) {
    for (const auto& p : rule.at("patterns")) words.merge(words_of_rule(p));
  }
  return words;
}

std::vector<std::pair<std::size_t, std::size_t>> citations_in(const std::string& line) {
  const auto word_char = [&](std::size_t i) {
    return i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_');
  };
  const auto skip_text = [&](std::size_t i) {  // from an opening quote to past its closing one
    for (++i; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\') ++i;
    }
    return std::min(i + 1, line.size());
  };
  std::vector<std::pair<std::size_t, std::size_t>> found;
  std::size_t i = 0;
  while (i < line.size() && line[i] != '#') {
    std::size_t sign = 0;
    if (line.compare(i, 2, "\xC2\xA7") == 0) {
      sign = 2;
    } else if (line.compare(i, 7, "section") == 0 && (i == 0 || !word_char(i - 1)) && !word_char(i + 7)) {
      sign = 7;
    }
    if (line[i] == '"') {
      i = skip_text(i);
    } else if (sign == 0) {
      ++i;
    } else {
      std::size_t j = i + sign;
      while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
      if (j < line.size() && line[j] == '"') {
        j = skip_text(j);
      } else if (j < line.size() && std::isalnum(static_cast<unsigned char>(line[j]))) {
        while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) ||
                                   std::string_view(".()-_/").find(line[j]) != std::string_view::npos)) {
          ++j;
        }
      } else {
        j = i + sign;
      }
      found.emplace_back(i, j);
      i = j;
    }
  }
  return found;
}

bool is_quote_line(const std::string& line) {
  const auto first = line.find_first_not_of(" \t");
  return first != std::string::npos && line[first] == '>';
}

}  // namespace merit::highlight
