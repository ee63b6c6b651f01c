-- Announcements from the city federation to every member (service info page).
CREATE TABLE announcements (
    id TEXT PRIMARY KEY,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_zh TEXT NOT NULL,
    body_en TEXT NOT NULL,
    published_at BIGINT NOT NULL
);
CREATE INDEX announcements_by_time ON announcements (published_at);

-- The unread badge is polled: count without scanning read messages.
CREATE INDEX notifications_unread ON notifications (member_id, read_at);
