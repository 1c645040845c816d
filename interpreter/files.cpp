// Reading files with POSIX calls: a FIFO must be opened without waiting for a writer, and a device or a
// stream must stop at a limit, which the standard streams cannot say.
#include "interpreter/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace merit {
namespace {

std::string size_limit_problem() {
  return fmt::format("this file is larger than {} MB, the most merit reads", max_file_bytes >> 20);
}

// The reasons open(2) and read(2) fail that a user can act on, in words; the rest in the system's.
std::string system_problem(int error) {
  switch (error) {
    case ENOENT:
      return "no such file";
    case EACCES:
      return "no permission to read this file";
    case EISDIR:
      return "this is a folder, not a file";
    case ENOTDIR:
      return "no such file (a part of the path is not a folder)";
    default:
      return fmt::format("cannot read this file: {}", std::strerror(error));
  }
}

}  // namespace

std::optional<InputFile> InputFile::open(const std::string& path, std::string& problem) {
  if (path.empty()) {
    problem = "no file named (the path is empty)";
    return std::nullopt;
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    problem = system_problem(errno);
    return std::nullopt;
  }
  if (S_ISDIR(info.st_mode)) {
    problem = "this is a folder, not a file";
    return std::nullopt;
  }
  // A device (/dev/zero, a terminal) is no file of rules or data, and one may never end.
  if (!S_ISREG(info.st_mode) && !S_ISFIFO(info.st_mode)) {
    problem = "this is a device, not a file";
    return std::nullopt;
  }
  if (S_ISREG(info.st_mode) && static_cast<std::uintmax_t>(info.st_size) > max_file_bytes) {
    problem = size_limit_problem();
    return std::nullopt;
  }
  // O_NONBLOCK: a FIFO with no writer opens at once (and reads as empty) instead of waiting for one.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    problem = system_problem(errno);
    return std::nullopt;
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  // The size again from the open file: the path may have been replaced since stat.
  if (::fstat(fd, &info) != 0 || S_ISDIR(info.st_mode)) {
    problem = system_problem(S_ISDIR(info.st_mode) ? EISDIR : errno);
    ::close(fd);
    return std::nullopt;
  }
  std::optional<std::size_t> size;
  if (S_ISREG(info.st_mode)) size = static_cast<std::size_t>(info.st_size);
  return InputFile(fd, size);
}

InputFile::InputFile(InputFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)), size_(other.size_) {}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
  }
  return *this;
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool InputFile::read_exactly(char* out, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::read(fd_, out + done, n - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

std::optional<std::string> InputFile::read_all(std::string& problem) {
  std::string text;
  if (size_) {
    // A regular file that grew past its size since it was opened is read as it was.
    text.resize(*size_);
    if (!read_exactly(text.data(), text.size())) {
      problem = "cannot read this file";
      return std::nullopt;
    }
    return text;
  }
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd_, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      problem = system_problem(errno);
      return std::nullopt;
    }
    if (got == 0) return text;
    if (text.size() + static_cast<std::size_t>(got) > max_file_bytes) {
      problem = size_limit_problem();
      return std::nullopt;
    }
    text.append(buffer, static_cast<std::size_t>(got));
  }
}

std::optional<std::string> read_text_file(const std::string& path, std::string& problem) {
  std::optional<InputFile> file = InputFile::open(path, problem);
  if (!file) return std::nullopt;
  return file->read_all(problem);
}

std::size_t utf8_length_at(std::string_view text, std::size_t i) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  if (i >= n) return 0;
  const unsigned char c = s[i];
  if (c < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;  // the range of the second byte; later bytes are always 80..BF
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;   // overlong
    if (c == 0xED) high = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;   // overlong
    if (c == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > n || s[i + 1] < low || s[i + 1] > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (s[i + k] < 0x80 || s[i + k] > 0xBF) return 0;
  }
  return length;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Eight ASCII bytes at a time: nearly all of a rule file or a register.
    while (i + 8 <= n) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const std::size_t length = utf8_length_at(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::nullopt;
}

TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition p;
  const std::size_t end = std::min(offset, text.size());
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < end; ++i) {
    const char c = text[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++p.line;
      line_start = i + 1;
    }
  }
  p.column = end - line_start + 1;
  return p;
}

std::optional<std::string> not_utf8_problem(std::string_view text) {
  const std::optional<std::size_t> bad = first_invalid_utf8(text);
  if (!bad) return std::nullopt;
  const TextPosition p = position_of(text, *bad);
  return fmt::format(
      "line {}, column {}: this is not UTF-8 text (byte 0x{:02X}); save the file as UTF-8 and try again",
      p.line, p.column, static_cast<unsigned char>(text[*bad]));
}

bool needs_escaping(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8_length_at(text, i);
      if (length == 0) return true;
      i += length;
      continue;
    }
    if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
    ++i;
  }
  return false;
}

std::string shown_safely(std::string_view text) {
  if (!needs_escaping(text)) return std::string(text);
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = c >= 0x80 ? utf8_length_at(text, i) : 1;
    if (c >= 0x80 && length > 0) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    ++i;
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if ((c < 0x20 && c != '\t') || c >= 0x7f) {
      out += fmt::format("\\x{:02X}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void normalize_line_ends(std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) text[i] = '\n';
  }
}

}  // namespace merit
