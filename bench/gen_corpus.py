#!/usr/bin/env python3
"""Writes a deterministic corpus of job postings for benchmarks.

    python3 bench/gen_corpus.py --postings 1000 --out /tmp/corpus-1k [--seed 7]

creates three sites with the same postings:

    OUT/openings/   site.toml + content/jobs/*.md (TOML and YAML front matter)
    OUT/hugo/       hugo.toml + content/jobs/*.md + layouts/ with equivalent pages
                    (role page with facts and form, index grouped by department,
                    department and location pages, 404, sitemap, RSS)
    OUT/hugo-html/  the HTML pages only, with the minimal templates a Hugo user
                    would write: home listing every open role by department,
                    one page per role (facts, body, application form), a
                    departments index and one page per department, 404; no
                    feeds, sitemap, robots.txt or taxonomies

Postings are 600-1,200 words of Markdown (headings, lists, a table, a code
block, links) across 12 departments and 40 locations, with salaries,
questions, remote countries and about 8% closed postings. The same seed always
writes the same bytes. Standard library only.
"""

import argparse
import datetime
import os
import random
import shutil

DEPARTMENTS = [
    "Engineering", "Data", "Design", "Product", "Sales", "Marketing",
    "Customer Success", "Finance", "People", "Legal", "Operations", "Security",
]
CITIES = [
    ("berlin", "Berlin", "BE", "DE", "EUR"), ("munich", "Munich", "BY", "DE", "EUR"),
    ("hamburg", "Hamburg", "HH", "DE", "EUR"), ("lisbon", "Lisbon", "11", "PT", "EUR"),
    ("porto", "Porto", "13", "PT", "EUR"), ("madrid", "Madrid", "MD", "ES", "EUR"),
    ("barcelona", "Barcelona", "CT", "ES", "EUR"), ("paris", "Paris", "IDF", "FR", "EUR"),
    ("lyon", "Lyon", "ARA", "FR", "EUR"), ("amsterdam", "Amsterdam", "NH", "NL", "EUR"),
    ("rotterdam", "Rotterdam", "ZH", "NL", "EUR"), ("dublin", "Dublin", "D", "IE", "EUR"),
    ("vienna", "Vienna", "9", "AT", "EUR"), ("milan", "Milan", "25", "IT", "EUR"),
    ("rome", "Rome", "62", "IT", "EUR"), ("warsaw", "Warsaw", "14", "PL", "PLN"),
    ("krakow", "Krakow", "12", "PL", "PLN"), ("prague", "Prague", "10", "CZ", "CZK"),
    ("stockholm", "Stockholm", "AB", "SE", "SEK"), ("copenhagen", "Copenhagen", "84", "DK", "DKK"),
    ("oslo", "Oslo", "03", "NO", "NOK"), ("helsinki", "Helsinki", "18", "FI", "EUR"),
    ("zurich", "Zurich", "ZH", "CH", "CHF"), ("london", "London", "ENG", "GB", "GBP"),
    ("manchester", "Manchester", "ENG", "GB", "GBP"), ("edinburgh", "Edinburgh", "SCT", "GB", "GBP"),
    ("new-york", "New York", "NY", "US", "USD"), ("san-francisco", "San Francisco", "CA", "US", "USD"),
    ("seattle", "Seattle", "WA", "US", "USD"), ("austin", "Austin", "TX", "US", "USD"),
    ("denver", "Denver", "CO", "US", "USD"), ("chicago", "Chicago", "IL", "US", "USD"),
    ("boston", "Boston", "MA", "US", "USD"), ("toronto", "Toronto", "ON", "CA", "CAD"),
    ("vancouver", "Vancouver", "BC", "CA", "CAD"), ("montreal", "Montreal", "QC", "CA", "CAD"),
    ("sydney", "Sydney", "NSW", "AU", "AUD"), ("melbourne", "Melbourne", "VIC", "AU", "AUD"),
    ("singapore", "Singapore", "01", "SG", "SGD"), ("tokyo", "Tokyo", "13", "JP", "JPY"),
]
LEVELS = ["Junior", "", "Senior", "Staff", "Lead", "Principal"]
ROLES = {
    "Engineering": ["Backend Engineer", "Frontend Engineer", "Platform Engineer", "Mobile Engineer", "Site Reliability Engineer"],
    "Data": ["Data Engineer", "Data Scientist", "Analytics Engineer", "Machine Learning Engineer"],
    "Design": ["Product Designer", "UX Researcher", "Brand Designer"],
    "Product": ["Product Manager", "Technical Product Manager", "Product Analyst"],
    "Sales": ["Account Executive", "Sales Development Representative", "Solutions Engineer"],
    "Marketing": ["Content Marketer", "Growth Marketer", "Product Marketing Manager"],
    "Customer Success": ["Customer Success Manager", "Support Specialist", "Implementation Consultant"],
    "Finance": ["Financial Analyst", "Accountant", "Payroll Specialist"],
    "People": ["Recruiter", "People Partner", "Learning Designer"],
    "Legal": ["Legal Counsel", "Privacy Specialist", "Contract Manager"],
    "Operations": ["Office Manager", "Operations Analyst", "Field Technician"],
    "Security": ["Security Engineer", "Security Analyst", "GRC Specialist"],
}
WORDS = (
    "we build reliable software for cooperatives that share energy and data across regions "
    "our team cares about clear writing careful review small changes and measured risk "
    "you will work with engineers designers analysts and customers to ship useful tools "
    "every release is planned together tested in production like settings and explained "
    "the platform handles metering billing forecasting reporting and member communication "
    "we value curiosity kindness patience honest feedback and a sustainable pace of work "
    "customers rely on accurate numbers fast answers and respectful support every day"
).split()
TAGS = ["rust", "python", "go", "typescript", "postgres", "kubernetes", "figma", "sql",
        "salesforce", "excel", "hiring", "security", "aws", "terraform", "react", "kafka"]
EMPLOYMENT = ["full-time"] * 8 + ["part-time", "contract", "temporary", "internship"]
WORKPLACE = ["onsite", "hybrid", "hybrid", "remote"]
EU = ["DE", "PT", "ES", "FR", "NL", "IE", "AT", "IT", "FI", "BE"]


def sentence(rng, low=8, high=18):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng, n=None):
    return " ".join(sentence(rng) for _ in range(n or rng.randint(3, 6)))


def body(rng, slug, target_words):
    parts = []
    words = 0
    sections = ["About the role", "What you will do", "What you bring", "Nice to have",
                "How we work", "Pay and benefits", "Our interview process"]
    parts.append(paragraph(rng))
    i = 0
    while words < target_words:
        title = sections[i % len(sections)] + ("" if i < len(sections) else f" ({i // len(sections) + 1})")
        parts.append(f"## {title}")
        kind = i % 4
        if kind == 1:
            parts.append("\n".join(f"- {sentence(rng, 6, 14)}" for _ in range(rng.randint(4, 7))))
        elif kind == 2:
            rows = "\n".join(f"| {s} | {rng.randint(20, 90)} min | {sentence(rng, 3, 6)} |"
                             for s in ["Intro call", "Work sample", "Team conversation", "Offer"])
            parts.append("| Step | Length | What happens |\n|---|---|---|\n" + rows)
        elif kind == 3:
            parts.append(f"```toml\n[service]\nname = \"{slug}\"\nreplicas = {rng.randint(2, 9)}\n```")
            parts.append(paragraph(rng, 2) + " Read more about [how we hire](../../hiring-process/).")
        else:
            parts.append(paragraph(rng))
        words = sum(len(p.split()) for p in parts)
        i += 1
    return "\n\n".join(parts) + "\n"


def posting(rng, n, today):
    dept = DEPARTMENTS[n % len(DEPARTMENTS)]
    role = rng.choice(ROLES[dept])
    level = rng.choice(LEVELS)
    title = f"{level} {role}".strip()
    slug = f"{title.lower().replace(' ', '-')}-{n:05d}"
    locs = rng.sample(CITIES, rng.choice([1, 1, 1, 2]))
    workplace = rng.choice(WORKPLACE)
    employment = rng.choice(EMPLOYMENT)
    date = today - datetime.timedelta(days=rng.randint(1, 120))
    closed = rng.random() < 0.08
    valid = date + datetime.timedelta(days=rng.randint(20, 60) if closed else rng.randint(150, 240))
    if closed:
        valid = min(valid, today - datetime.timedelta(days=1))
    hourly = employment in ("part-time", "temporary")
    base = rng.randint(40, 140) * 1000
    salary = (round(rng.uniform(18, 60), 2), None) if hourly else (base, base + rng.randint(10, 40) * 1000)
    if salary[1] is None:
        salary = (salary[0], round(salary[0] * 1.25, 2))
    return {
        "n": n, "title": title, "slug": slug, "department": dept, "team": rng.choice(["Core", "Growth", "Platform", "Field", "Insights"]),
        "locations": [c[0] for c in locs], "workplace": workplace,
        "remote_countries": rng.sample(EU, 4) if workplace == "remote" else [],
        "employment_type": employment, "seniority": (level or "Mid").lower(),
        "date": date.isoformat(), "valid_through": valid.isoformat(),
        "summary": sentence(rng, 10, 18), "tags": rng.sample(TAGS, 3),
        "salary": {"min": salary[0], "max": salary[1], "currency": locs[0][4], "per": "hour" if hourly else "year"},
        "yaml": n % 5 == 0,
        "body": body(rng, slug, rng.randint(600, 1200)),
    }


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def openings_front_matter(p, closed=None):
    """The posting's front matter for openings; with `closed` (for Hugo) one
    more top-level key saying whether the role is closed on TODAY."""
    if p["yaml"]:
        lines = ["---", f"title: {toml_str(p['title'])}", f"department: {p['department']}", f"team: {p['team']}",
                 f"locations: [{', '.join(p['locations'])}]", f"workplace: {p['workplace']}"]
        if p["remote_countries"]:
            lines.append(f"remote_countries: [{', '.join(p['remote_countries'])}]")
        s = p["salary"]
        lines += [f"employment_type: {p['employment_type']}", f"seniority: {p['seniority']}",
                  f"date: {p['date']}", f"valid_through: {p['valid_through']}",
                  f"summary: {toml_str(p['summary'])}", f"tags: [{', '.join(p['tags'])}]",
                  "salary:", f"  min: {s['min']}", f"  max: {s['max']}", f"  currency: {s['currency']}", f"  per: {s['per']}",
                  "questions:", "  - id: start", "    label: When could you start?", "    kind: select",
                  "    options: [Now, In a month, Later]", "    required: true"]
        if closed is not None:
            lines.append(f"closed: {'true' if closed else 'false'}")
        lines.append("---")
        return "\n".join(lines) + "\n"
    s = p["salary"]
    lines = ["+++", f"title = {toml_str(p['title'])}", f"department = {toml_str(p['department'])}",
             f"team = {toml_str(p['team'])}", "locations = [" + ", ".join(toml_str(l) for l in p["locations"]) + "]",
             f"workplace = \"{p['workplace']}\""]
    if p["remote_countries"]:
        lines.append("remote_countries = [" + ", ".join(toml_str(c) for c in p["remote_countries"]) + "]")
    lines += [f"employment_type = \"{p['employment_type']}\"", f"seniority = \"{p['seniority']}\"",
              f"date = {p['date']}", f"valid_through = {p['valid_through']}", f"summary = {toml_str(p['summary'])}",
              "tags = [" + ", ".join(toml_str(t) for t in p["tags"]) + "]"]
    if closed is not None:
        lines.append(f"closed = {'true' if closed else 'false'}")
    lines += ["", "[salary]", f"min = {s['min']}", f"max = {s['max']}", f"currency = \"{s['currency']}\"", f"per = \"{s['per']}\"", "",
              "[[questions]]", 'id = "years"', 'label = "Years of relevant experience"', 'kind = "number"', "required = true", "",
              "[[questions]]", 'id = "portfolio"', 'label = "Link to your work"', 'kind = "url"', "+++"]
    return "\n".join(lines) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_openings(root, postings, languages=()):
    lines = ['title = "Careers at Benchco"', 'base_url = "https://careers.benchco.example/"', "",
             "[company]", 'name = "Benchco"', 'website = "https://benchco.example"', ""]
    for lang in languages:
        lines += [f"[languages.{lang}]", f'title = "Benchco ({lang})"', ""]
    for key, city, region, country, _ in CITIES:
        lines += [f"[locations.{key}]", f'name = "{city}, {country}"', f'city = "{city}"',
                  f'region = "{region}"', f'country = "{country}"', ""]
    write(os.path.join(root, "site.toml"), "\n".join(lines))
    write(os.path.join(root, "content/hiring-process.md"),
          "+++\ntitle = \"How we hire\"\n+++\n\n" + paragraph(random.Random(1), 5) + "\n")
    for n, p in enumerate(postings):
        write(os.path.join(root, "content/jobs", p["slug"] + ".md"), openings_front_matter(p) + "\n" + p["body"])
        # Every third posting is translated into each further language: the
        # title and the body (here the original's words, marked), nothing else.
        if n % 3 == 0:
            for lang in languages:
                text = f"+++\ntitle = {toml_str('[' + lang + '] ' + p['title'])}\n+++\n\n({lang})\n\n{p['body']}"
                write(os.path.join(root, "content/jobs", f"{p['slug']}.{lang}.md"), text)


HUGO_CONFIG = """baseURL = "https://careers.benchco.example/"
title = "Careers at Benchco"
languageCode = "en"
disableKinds = ["term"]
[taxonomies]
department = "departments"
location = "locations"
[outputs]
home = ["HTML", "RSS"]
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | absURL }}">
</head><body><a href="#main">Skip to content</a>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer>Benchco</footer></body></html>
""",
    "_default/single.html": """{{ define "title" }}{{ .Title }} · {{ .Site.Title }}{{ end }}
{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>
<dl><dt>Department</dt><dd>{{ range .Params.departments }}<a href="{{ (printf "/departments/%s/" (urlize .)) | relURL }}">{{ . }}</a>{{ end }}</dd>
<dt>Locations</dt><dd>{{ range .Params.locations }}<a href="{{ (printf "/locations/%s/" (urlize .)) | relURL }}">{{ . }}</a> {{ end }}</dd>
<dt>Workplace</dt><dd>{{ .Params.workplace }}</dd><dt>Type</dt><dd>{{ .Params.employment_type }}</dd>
<dt>Salary</dt><dd>{{ .Params.salary.currency }} {{ lang.FormatNumber 0 .Params.salary.min }} – {{ lang.FormatNumber 0 .Params.salary.max }} per {{ .Params.salary.per }}</dd>
<dt>Posted</dt><dd>{{ .Date.Format "2 January 2006" }}</dd></dl>
{{ .Content }}
{{ if gt (time .Params.valid_through) now }}<form method="post" enctype="multipart/form-data" action="{{ (printf "/apply/%s" .File.ContentBaseName) | relURL }}">
<label for="name">Full name</label><input id="name" name="name" required>
<label for="email">Email</label><input id="email" name="email" type="email" required>
<label for="resume">Resume</label><input id="resume" name="resume" type="file" required>
{{ range .Params.questions }}<label for="q_{{ .id }}">{{ .label }}</label><input id="q_{{ .id }}" name="q_{{ .id }}">{{ end }}
<button>Apply</button></form>{{ else }}<p>This role is no longer accepting applications.</p>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range where .Pages "Params.closed" "!=" true }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.workplace }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>Open roles</h1>
{{ $open := where (where .Site.RegularPages "Section" "jobs") "Params.closed" "!=" true }}<p>{{ len $open }} open roles</p>
{{ range $open.GroupByParam "department" }}<section><h2>{{ .Key }} ({{ len .Pages }})</h2><ul>
{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ delimit .Params.locations ", " }} · {{ .Params.workplace }}</li>{{ end }}
</ul></section>{{ end }}{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Page not found</h1><p><a href="{{ "/" | relURL }}">All roles</a></p>{{ end }}
""",
}


def hugo_front_matter(p):
    s = p["salary"]
    closed = p["valid_through"] < TODAY.isoformat()
    lines = ["+++", f"title = {toml_str(p['title'])}", f"date = {p['date']}", f"department = {toml_str(p['department'])}",
             f"departments = [{toml_str(p['department'])}]", "locations = [" + ", ".join(toml_str(l) for l in p["locations"]) + "]",
             f"workplace = \"{p['workplace']}\"", f"employment_type = \"{p['employment_type']}\"",
             f"valid_through = {p['valid_through']}", f"closed = {'true' if closed else 'false'}",
             f"summary = {toml_str(p['summary'])}", "tags = [" + ", ".join(toml_str(t) for t in p["tags"]) + "]", "",
             "[salary]", f"min = {s['min']}", f"max = {s['max']}", f"currency = \"{s['currency']}\"", f"per = \"{s['per']}\"", "",
             "[[questions]]", 'id = "years"', 'label = "Years of relevant experience"', "+++"]
    return "\n".join(lines) + "\n"


def write_hugo(root, postings):
    write(os.path.join(root, "hugo.toml"), HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        write(os.path.join(root, "layouts", name), text)
    write(os.path.join(root, "content/hiring-process.md"), "+++\ntitle = \"How we hire\"\n+++\n\nWe hire with care.\n")
    for p in postings:
        write(os.path.join(root, "content/jobs", p["slug"] + ".md"), hugo_front_matter(p) + "\n" + p["body"])


# The equal-work peer (issue 16): Hugo builds the HTML pages and nothing else.
# disableKinds drops feeds, sitemap, robots.txt and taxonomies; code fences
# are not highlighted and the typographer and linkify are off because
# openings does none of these either. The jobs section's own list page is not
# rendered ([build] in content/jobs/_index.md): openings has no /jobs/ page.
# Only postings carry `closed`, so `where site.RegularPages "Params.closed"
# false` is the open roles in one pass; the departments index groups them
# once instead of filtering all roles once per department.
HUGO_HTML_CONFIG = """baseURL = "https://careers.benchco.example/"
title = "Careers at Benchco"
locale = "en"
disableKinds = ["rss", "sitemap", "robotsTXT", "taxonomy", "term"]

[markup.highlight]
codeFences = false

[markup.goldmark.extensions]
linkify = false

[markup.goldmark.extensions.typographer]
disable = true

[params]
company = "Benchco"
"""

HUGO_HTML_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="{{ site.Language.Locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
{{ with .Params.summary }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ site.Params.company }}</footer>
</body>
</html>
""",
    "home.html": """{{ define "main" }}
{{ $open := where site.RegularPages "Params.closed" false }}
<h1>Open roles at {{ site.Params.company }}</h1>
<p>{{ len $open }} open roles</p>
{{ range $open.GroupByParam "department" }}
<section>
<h2><a href="{{ printf "/departments/%s/" (urlize .Key) | relURL }}">{{ .Key }}</a> ({{ len .Pages }})</h2>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ partial "locations.html" . }} · {{ .Params.workplace }}</li>
{{ end }}</ul>
</section>
{{ end }}
{{ end }}
""",
    "jobs/page.html": """{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<article>
<p><a href="{{ "/" | relURL }}">All roles</a></p>
<h1>{{ .Title }}</h1>
<p>{{ .Params.summary }}</p>
{{ if .Params.closed }}<p>This role is no longer open. <a href="{{ "/" | relURL }}">See all open roles</a></p>{{ end }}
<dl>
<dt>Department</dt><dd><a href="{{ printf "/departments/%s/" (urlize .Params.department) | relURL }}">{{ .Params.department }}</a></dd>
<dt>Locations</dt><dd>{{ partial "locations.html" . }}</dd>
<dt>Workplace</dt><dd>{{ .Params.workplace }}</dd>
<dt>Employment type</dt><dd>{{ .Params.employment_type }}</dd>
{{ with .Params.salary }}<dt>Salary</dt><dd>{{ $digits := cond (eq .per "hour") 2 0 }}{{ .currency }} {{ lang.FormatNumber $digits .min }}–{{ lang.FormatNumber $digits .max }} per {{ .per }}</dd>{{ end }}
<dt>Posted</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></dd>
</dl>
{{ .Content }}
{{ if not .Params.closed }}{{ partial "apply-form.html" . }}{{ end }}
</article>
{{ end }}
""",
    "departments/section.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range (where site.RegularPages "Params.closed" false).GroupByParam "department" }}<li><a href="{{ printf "/departments/%s/" (urlize .Key) | relURL }}">{{ .Key }}</a> ({{ len .Pages }} open roles)</li>
{{ end }}</ul>
{{ end }}
""",
    "departments/page.html": """{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
{{ $jobs := where (where site.RegularPages "Params.department" .Title) "Params.closed" false }}
<p><a href="{{ "/" | relURL }}">All roles</a></p>
<h1>{{ .Title }}</h1>
<p>{{ len $jobs }} open roles</p>
<ul>
{{ range $jobs }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ partial "locations.html" . }} · {{ .Params.workplace }}</li>
{{ end }}</ul>
{{ end }}
""",
    "page.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>
{{ end }}
""",
    "404.html": """{{ define "main" }}
<h1>Page not found</h1>
<p><a href="{{ "/" | relURL }}">See all open roles</a></p>
{{ end }}
""",
    "_partials/locations.html": """{{- range $i, $key := .Params.locations }}{{ if $i }}, {{ end }}{{ (index site.Params.locations $key).name }}{{ end -}}
""",
    "_partials/apply-form.html": """<form method="post" enctype="multipart/form-data" action="{{ printf "/apply/%s" .File.ContentBaseName | relURL }}">
<h2>Apply for this role</h2>
<p><label for="f-name">Name</label> <input id="f-name" name="name" autocomplete="name" required></p>
<p><label for="f-email">Email</label> <input id="f-email" name="email" type="email" autocomplete="email" required></p>
<p><label for="f-resume">Résumé (PDF, DOC, DOCX or ODT)</label> <input id="f-resume" name="resume" type="file" accept=".pdf,.doc,.docx,.odt" required></p>
<p><label for="f-cover_letter">Cover letter</label> <textarea id="f-cover_letter" name="cover_letter" rows="8"></textarea></p>
{{ range .Params.questions }}
<p><label for="f-q_{{ .id }}">{{ .label }}</label>
{{ if eq .kind "select" }}<select id="f-q_{{ .id }}" name="q_{{ .id }}"{{ if .required }} required{{ end }}>{{ range .options }}<option>{{ . }}</option>{{ end }}</select>
{{ else if eq .kind "textarea" }}<textarea id="f-q_{{ .id }}" name="q_{{ .id }}"{{ if .required }} required{{ end }}></textarea>
{{ else }}<input id="f-q_{{ .id }}" name="q_{{ .id }}" type="{{ .kind | default "text" }}"{{ if .required }} required{{ end }}>{{ end }}</p>
{{ end }}
<p><button type="submit">Send application</button></p>
</form>
""",
}

HUGO_HTML_CSS = """body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0 auto; max-width: 48rem; padding: 1rem; }
label { display: block; font-weight: 600; }
input, select, textarea { font: inherit; max-width: 100%; }
"""


def slugify(name):
    return name.lower().replace(" ", "-")


def write_hugo_html(root, postings):
    locations = []
    for key, city, _, country, _ in CITIES:
        locations += [f"[params.locations.{key}]", f'name = "{city}, {country}"', ""]
    write(os.path.join(root, "hugo.toml"), HUGO_HTML_CONFIG + "\n" + "\n".join(locations))
    for name, text in HUGO_HTML_LAYOUTS.items():
        write(os.path.join(root, "layouts", name), text)
    write(os.path.join(root, "static/style.css"), HUGO_HTML_CSS)
    write(os.path.join(root, "content/hiring-process.md"),
          "+++\ntitle = \"How we hire\"\n+++\n\n" + paragraph(random.Random(1), 5) + "\n")
    write(os.path.join(root, "content/jobs/_index.md"), "+++\ntitle = \"Jobs\"\n[build]\nrender = \"never\"\n+++\n")
    write(os.path.join(root, "content/departments/_index.md"), "+++\ntitle = \"Departments\"\n+++\n")
    present = {p["department"] for p in postings}
    for dept in DEPARTMENTS:
        if dept in present:
            write(os.path.join(root, "content/departments", slugify(dept) + ".md"), f"+++\ntitle = {toml_str(dept)}\n+++\n")
    for p in postings:
        closed = p["valid_through"] < TODAY.isoformat()
        write(os.path.join(root, "content/jobs", p["slug"] + ".md"), openings_front_matter(p, closed) + "\n" + p["body"])


TODAY = datetime.date(2026, 11, 23)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postings", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--languages", default="", help="further languages of the openings site, e.g. de,pt: "
                        "every third posting gets a translation into each (name.LANG.md)")
    args = parser.parse_args()
    languages = [lang for lang in args.languages.split(",") if lang]
    rng = random.Random(args.seed)
    postings = [posting(rng, n, TODAY) for n in range(args.postings)]
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    write_openings(os.path.join(args.out, "openings"), postings, languages)
    write_hugo(os.path.join(args.out, "hugo"), postings)
    write_hugo_html(os.path.join(args.out, "hugo-html"), postings)
    closed = sum(p["valid_through"] < TODAY.isoformat() for p in postings)
    print(f"wrote {len(postings)} postings ({closed} closed) to {args.out}/openings, {args.out}/hugo and {args.out}/hugo-html")


if __name__ == "__main__":
    main()
