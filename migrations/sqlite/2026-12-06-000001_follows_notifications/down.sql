DROP TABLE notification_feeds;
DROP TABLE notifications;
DROP TABLE follows;
