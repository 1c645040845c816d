// merit doc's site as a person sees it: the built binary writes the site of the shipped rules with a
// proposal, and headless Chromium (Debian's chromium) loads every page. The test reads what the browser
// rendered: every link leads to a page and a place that exist, no page logs an error or fails a load, the
// law and the rules stand side by side, a screenshot reads (by OCR) as the page says, and the printed page
// keeps its text within the paper.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cdp.hpp"

namespace fs = std::filesystem;
using merit::testing::Browser;
using merit::testing::Json;

namespace {

std::string env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

/// A folder for one test, removed with what is in it.
struct Scratch {
  fs::path dir;
  Scratch() {
    static int n = 0;
    dir = fs::temp_directory_path() /
          ("merit-browser-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

/// Runs a command through the shell; its stdout, and its exit status in `status`.
std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    status = -1;
    return out;
  }
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int raw = ::pclose(pipe);
  status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

// Where CMake found them (CMakeLists.txt), unless the environment says otherwise.
const std::string source = env("MERIT_SOURCE_DIR", MERIT_SOURCE_DIR_DEFAULT);
const std::string merit_binary = env("MERIT_BINARY", MERIT_BINARY_DEFAULT);
const std::string chromium = env("MERIT_CHROMIUM", MERIT_CHROMIUM_DEFAULT);

/// The site of the shipped rules with the rule-of-three proposal, written by the built merit.
struct Site {
  Scratch scratch;
  fs::path dir = scratch.dir / "site";
  int status = -1;
  std::string out;
  Site() {
    out = run(quoted(merit_binary) + " doc --rules " + quoted(source + "/rules") + " --amend " +
                  quoted(source + "/examples/what-if/rule-of-three.merit") + " -o " + quoted(dir.string()) +
                  " 2>&1",
              status);
  }
  std::string url(const std::string& page) const { return "file://" + (dir / page).string(); }
};

/// The site, and a browser to read it in.
struct Viewing {
  Site site;
  Scratch profile;
  Browser browser{chromium, profile.dir.string(), 1280, 900};
};

const char* page_facts = R"JS(JSON.stringify({
  title: document.title,
  text: document.body.innerText,
  links: Array.from(document.querySelectorAll('a[href]'), a => a.href),
  ids: Array.from(document.querySelectorAll('[id]'), e => e.id),
  sheets: document.styleSheets.length,
  styled: getComputedStyle(document.body).marginTop === '0px' &&
          getComputedStyle(document.querySelector('nav')).borderBottomStyle === 'solid',
  scripts: document.scripts.length,
  wide: document.documentElement.scrollWidth > document.documentElement.clientWidth
}))JS";

Json facts(Browser& browser) {
  const Json value = browser.evaluate(page_facts);
  return value.is_string() ? Json::parse(value.get<std::string>()) : Json();
}

}  // namespace

TEST_CASE("every page of merit doc's site loads in Chromium without an error, and every link resolves") {
  Viewing v;
  const Site& site = v.site;
  Browser& browser = v.browser;
  REQUIRE_MESSAGE(site.status == 0, site.out);
  REQUIRE_MESSAGE(browser.ok(), browser.problem());

  std::map<std::string, std::set<std::string>> ids;  // by page file name
  std::map<std::string, std::vector<std::string>> links;
  std::size_t pages = 0;
  for (const auto& entry : fs::directory_iterator(site.dir)) {
    if (entry.path().extension() != ".html") continue;
    const std::string page = entry.path().filename().string();
    ++pages;
    INFO("page " << page);
    REQUIRE_MESSAGE(browser.open(site.url(page)), browser.problem());
    const Json f = facts(browser);
    REQUIRE_MESSAGE(f.is_object(), browser.problem());
    std::string errors;
    for (const auto& e : browser.errors()) errors += e + "\n";
    CHECK_MESSAGE(errors.empty(), errors);
    CHECK(f["scripts"] == 0);
    // The style sheet loaded and applies (a page without it has a margin, and no line under its links).
    CHECK(f["sheets"] == 1);
    CHECK(f["styled"] == true);
    CHECK_FALSE(f["title"].get<std::string>().empty());
    CHECK_FALSE(f["wide"].get<bool>());  // nothing wider than the window
    ids[page] = f["ids"].get<std::set<std::string>>();
    links[page] = f["links"].get<std::vector<std::string>>();
  }
  CHECK(pages >= 14);  // contents, sections, parameters, decisions, amendment, and a page per rule file

  const std::string prefix = "file://" + site.dir.string() + "/";
  std::size_t checked = 0;
  for (const auto& [page, hrefs] : links) {
    for (const auto& href : hrefs) {
      INFO("a link on " << page << ": " << href);
      REQUIRE(href.rfind(prefix, 0) == 0);  // within the site: nothing is fetched from elsewhere
      const std::string rest = href.substr(prefix.size());
      const auto hash = rest.find('#');
      const std::string target = rest.substr(0, hash);
      REQUIRE(ids.count(target) == 1);
      if (hash != std::string::npos) CHECK(ids[target].count(rest.substr(hash + 1)) == 1);
      ++checked;
    }
  }
  CHECK(checked > 1000);
}

TEST_CASE("the site's rendered pages say what the rules and their tests say") {
  Viewing v;
  const Site& site = v.site;
  Browser& browser = v.browser;
  REQUIRE_MESSAGE(site.status == 0, site.out);
  REQUIRE_MESSAGE(browser.ok(), browser.problem());
  int status = -1;
  const Json tests = Json::parse(
      run(quoted(merit_binary) + " test " + quoted(source + "/rules") + " --format json", status));
  REQUIRE(status == 0);

  REQUIRE(browser.open(site.url("index.html")));
  const std::string index = facts(browser)["text"];
  const std::string total = std::to_string(tests["passed"].get<int>());
  CHECK(index.find("Rule tests: " + total + " of " + total + " pass") != std::string::npos);
  CHECK(index.find("Chapter 8, section 2: Use of Class Registers") != std::string::npos);

  // Beside the quote of 2.A.1 (the standard method's four sources) stands the function that encodes it.
  REQUIRE(browser.open(site.url("chapter8-2-use-of-class-registers.html")));
  const Json row = browser.evaluate(R"JS((() => {
    const row = Array.from(document.querySelectorAll('.row'))
      .find(r => r.querySelector('.law').innerText.includes('1. Standard Method'));
    if (!row) return null;
    const law = row.querySelector('.law').getBoundingClientRect();
    const rules = row.querySelector('.rules').getBoundingClientRect();
    return { rules: row.querySelector('.rules').innerText, display: getComputedStyle(row).display,
             side_by_side: law.right <= rules.left && law.top < rules.bottom && rules.top < law.bottom };
  })())JS");
  REQUIRE(row.is_object());
  CHECK(row["display"] == "grid");
  CHECK(row["side_by_side"] == true);
  CHECK(row["rules"].get<std::string>().find(
            "function standard_tier(c: Candidate, r: Requisition): integer") != std::string::npos);

  // A name links to its declaration, a citation to its section.
  const Json link = browser.evaluate(R"JS((() => {
    const a = Array.from(document.querySelectorAll('pre a')).find(a => a.textContent === 'has_promotional_preference_in');
    const c = Array.from(document.querySelectorAll('a.cite')).find(a => a.textContent === '2.A.1');
    return a && c ? [a.getAttribute('href'), c.getAttribute('href')] : null;
  })())JS");
  REQUIRE(link.is_array());
  CHECK(link[0] == "chapter8-2-use-of-class-registers.html#has_promotional_preference_in");
  CHECK(link[1] == "sections.html#s-2.A.1");

  // The section lists what cites it and its rule tests, with their outcome today and with the proposal.
  REQUIRE(browser.open(site.url("sections.html#s-2.B.1")));
  const std::string section = browser.evaluate("document.getElementById('s-2.B.1').parentElement.innerText");
  CHECK(section.find("parameter complement_size") != std::string::npos);
  CHECK(section.find("passes") != std::string::npos);
  CHECK(section.find("fails") != std::string::npos);  // the rule of three changes a rule of six's test

  // The parameter's value today, and as the proposal has it.
  REQUIRE(browser.open(site.url("parameters.html")));
  const Json value = browser.evaluate(R"JS((() => {
    const row = Array.from(document.querySelectorAll('tr')).find(r => r.cells[0].innerText === 'complement_size');
    return row ? Array.from(row.cells, c => c.innerText) : null;
  })())JS");
  REQUIRE(value.is_array());
  CHECK(value[1] == "integer");
  CHECK(value[2] == "§\u00a02.B.1");  // a space that does not break
  CHECK(value[3] == "6");
  CHECK(value[4] == "3");

  // The amendment beside today's text.
  REQUIRE(browser.open(site.url("amendment.html")));
  const std::string amendment = facts(browser)["text"];
  CHECK(amendment.find("parameter complement_size: integer § 2.B.1 = 6") != std::string::npos);
  CHECK(amendment.find("replace parameter complement_size: integer § 2.B.1 = 3") != std::string::npos);
  CHECK(amendment.find("Rule tests whose outcome it changes") != std::string::npos);
}

TEST_CASE("a screenshot of a page reads as the page, and the printed page keeps within the paper") {
  Viewing v;
  const Site& site = v.site;
  Browser& browser = v.browser;
  REQUIRE_MESSAGE(site.status == 0, site.out);
  REQUIRE_MESSAGE(browser.ok(), browser.problem());
  REQUIRE(browser.open(site.url("chapter8-2-use-of-class-registers.html")));
  REQUIRE(browser.evaluate(R"JS((() => {
    const row = Array.from(document.querySelectorAll('.row'))
      .find(r => r.querySelector('.law').innerText.includes('1. Standard Method'));
    if (row) row.scrollIntoView();
    return !!row;
  })())JS") == true);

  const Json shot = browser.call("Page.captureScreenshot", {{"format", "png"}});
  REQUIRE_MESSAGE(shot.contains("data"), browser.problem());
  const std::string png = merit::testing::base64_decode(shot["data"].get<std::string>());
  REQUIRE(png.size() > 24);
  CHECK(png.substr(0, 8) == "\x89PNG\r\n\x1a\n");
  const auto be32 = [&](std::size_t at) {
    return (static_cast<unsigned>(static_cast<unsigned char>(png[at])) << 24) |
           (static_cast<unsigned>(static_cast<unsigned char>(png[at + 1])) << 16) |
           (static_cast<unsigned>(static_cast<unsigned char>(png[at + 2])) << 8) |
           static_cast<unsigned>(static_cast<unsigned char>(png[at + 3]));
  };
  CHECK(be32(16) == 1280);  // the width in the PNG's header
  CHECK(be32(20) == 900);

  // The screenshot's text, read back by OCR (tesseract), has the law and the rule beside it: the page is
  // drawn, not only present in the document.
  Scratch shots;
  const fs::path file = shots.dir / "page.png";
  std::ofstream(file, std::ios::binary) << png;
  int status = -1;
  const std::string ocr = run("tesseract " + quoted(file.string()) + " - 2>/dev/null", status);
  REQUIRE(status == 0);
  INFO("OCR read: " << ocr);
  CHECK(ocr.find("Standard Method") != std::string::npos);
  CHECK(ocr.find("standard_tier") != std::string::npos);

  // Printed: no navigation, and nothing wider than the paper (A4 at 96 pixels an inch, less margins).
  REQUIRE_FALSE(browser.call("Emulation.setEmulatedMedia", {{"media", "print"}}).is_null());
  REQUIRE_FALSE(browser
                    .call("Emulation.setDeviceMetricsOverride",
                          {{"width", 700}, {"height", 1000}, {"deviceScaleFactor", 1}, {"mobile", false}})
                    .is_null());
  // A block of code scrolls on a screen; on paper each must fit, its long lines wrapped.
  const Json printed = browser.evaluate(
      "[getComputedStyle(document.querySelector('nav')).display, "
      "document.documentElement.scrollWidth <= document.documentElement.clientWidth, "
      "Array.from(document.querySelectorAll('pre')).filter(p => p.scrollWidth > p.clientWidth).length, "
      "document.querySelectorAll('pre').length]");
  REQUIRE(printed.is_array());
  CHECK(printed[0] == "none");
  CHECK(printed[1] == true);
  CHECK(printed[2] == 0);
  CHECK(printed[3].get<int>() > 20);
  const Json pdf = browser.call("Page.printToPDF", {{"paperWidth", 8.27}, {"paperHeight", 11.69}});
  REQUIRE_MESSAGE(pdf.contains("data"), browser.problem());
  const std::string bytes = merit::testing::base64_decode(pdf["data"].get<std::string>());
  CHECK(bytes.substr(0, 5) == "%PDF-");
  CHECK(bytes.size() > 20000);
}
