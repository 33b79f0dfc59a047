-- govmedia schema, version 5: article bodies in a table of their own.
--
-- Bodies are nine tenths of an article's JSON (173 of the 190 MB of a national survey's
-- articles). Kept inside articles.data, every read of an article read them, even a pass that
-- never looks at them (a second evaluation pass, a listing). Apart, a read that does not need
-- them reads neither their pages nor their JSON, and a read that does gets them as plain text
-- columns, with no JSON string to unescape.
--
-- The exception to "each record keeps its full JSON in data" (0001_init.sql): articles.data
-- holds an article's JSON without `content` and `content_html`; they are here, one row per
-- article that has either (an article without a body has no row), and readers put them back.
CREATE TABLE article_bodies (
    url TEXT PRIMARY KEY REFERENCES articles (url) ON DELETE CASCADE,
    content TEXT,
    content_html TEXT
);

-- The bodies of the articles already stored move here ("content": null is no body).
INSERT INTO article_bodies (url, content, content_html)
SELECT url, json_extract(data, '$.content'), json_extract(data, '$.content_html')
FROM articles
WHERE json_extract(data, '$.content') IS NOT NULL OR json_extract(data, '$.content_html') IS NOT NULL;

UPDATE articles SET data = json_remove(data, '$.content', '$.content_html')
WHERE json_type(data, '$.content') IS NOT NULL OR json_type(data, '$.content_html') IS NOT NULL;
