#pragma once
// Reading the files merit is given (rule files, case files, CSV registers, rule tests). Every one may be
// anything a user can name: a folder, a device, a pipe with no writer, a file that never ends, bytes that are
// not text. Each is refused with a reason worded for the user, never a hang or a library's message.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace merit {

/// The most merit reads of one file: far above any register a merit office keeps (a million candidates is
/// about 130 MB of JSON), and where a file that never ends stops.
inline constexpr std::size_t max_file_bytes = std::size_t{1} << 30;

/// A file open for reading: a regular file, whose size is known, or a stream (a pipe, a FIFO).
class InputFile {
 public:
  /// Opens `path`, or says why not in `problem` ("no such file", "is a folder, not a file", ...). A FIFO
  /// with no writer opens as an empty stream instead of waiting for one.
  static std::optional<InputFile> open(const std::string& path, std::string& problem);

  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  /// The size of a regular file; nothing for a stream.
  std::optional<std::size_t> size() const { return size_; }

  /// Reads exactly `n` bytes into `out` (a regular file's whole size); false on a read error or a short read.
  bool read_exactly(char* out, std::size_t n);

  /// Reads to the end, or says why not: a read error, or more than max_file_bytes.
  std::optional<std::string> read_all(std::string& problem);

 private:
  explicit InputFile(int fd, std::optional<std::size_t> size) : fd_(fd), size_(size) {}
  int fd_ = -1;
  std::optional<std::size_t> size_;
};

/// The whole of the file at `path`, or nothing with the reason in `problem`.
std::optional<std::string> read_text_file(const std::string& path, std::string& problem);

/// The length of the UTF-8 character at byte `i` of `text` (1 to 4), or 0 where none starts there.
std::size_t utf8_length_at(std::string_view text, std::size_t i);

/// The byte offset of the first byte that is not part of a well-formed UTF-8 character (RFC 3629: no
/// overlong forms, no surrogates, nothing above U+10FFFF); nothing when all of `text` is UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

/// The 1-based line and byte column of an offset in `text`; lines end in \n, \r\n or a lone \r.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

/// "line L, column C: this is not UTF-8 text (byte 0xFF) ..." for the first bad byte, for a file that must
/// be UTF-8; nothing when it is.
std::optional<std::string> not_utf8_problem(std::string_view text);

/// `text` as it can be shown on a terminal or in JSON: control characters other than a tab written as escapes
/// (`\n`, `\x1B`), and bytes that are not UTF-8 as `\xFF`, so that a name holding them neither breaks a
/// table's lines nor sends commands to the terminal.
std::string shown_safely(std::string_view text);

/// Whether shown_safely would change `text`.
bool needs_escaping(std::string_view text);

/// Text with a lone \r (old Mac line ends) turned into \n, byte for byte, so that positions count lines
/// whatever the line ends.
void normalize_line_ends(std::string& text);

}  // namespace merit
