// One portable schema for both backends, kept by hand in step with
// migrations/{sqlite,postgres}. Only types diesel's MultiConnection supports on both backends are
// used: BigInt, Integer, Double, Text, Bool, Timestamp (UTC), Date.

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        email -> Nullable<Text>,
        display_name -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        bio -> Text,
        role -> Text,
        suspended -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        email_digest -> Text,
        digest_notification_id -> BigInt,
        digest_sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    venues (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        kind -> Text,
        created_at -> Timestamp,
        paper_count -> Integer,
        summary_count -> Integer,
    }
}

diesel::table! {
    papers (id) {
        id -> BigInt,
        title -> Text,
        abstract_text -> Nullable<Text>,
        year -> Nullable<Integer>,
        published_on -> Nullable<Date>,
        venue_id -> Nullable<BigInt>,
        arxiv_id -> Nullable<Text>,
        doi -> Nullable<Text>,
        url -> Nullable<Text>,
        pdf_url -> Nullable<Text>,
        source -> Text,
        created_by -> Nullable<BigInt>,
        summary_count -> Integer,
        last_summary_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        top_score -> Integer,
    }
}

diesel::table! {
    authors (id) {
        id -> BigInt,
        name -> Text,
        name_key -> Text,
        orcid -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    paper_authors (paper_id, position) {
        paper_id -> BigInt,
        author_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    keywords (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        kind -> Text,
        created_at -> Timestamp,
        paper_count -> Integer,
    }
}

diesel::table! {
    paper_keywords (paper_id, keyword_id) {
        paper_id -> BigInt,
        keyword_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    summaries (id) {
        id -> BigInt,
        paper_id -> BigInt,
        author_id -> BigInt,
        body_markdown -> Text,
        body_html -> Text,
        excerpt -> Text,
        excerpt_html -> Text,
        anonymous -> Bool,
        visibility -> Text,
        share_token -> Nullable<Text>,
        ups -> Integer,
        downs -> Integer,
        score -> Integer,
        hot -> Double,
        rank -> Double,
        comment_count -> Integer,
        hidden -> Bool,
        deleted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    summary_revisions (id) {
        id -> BigInt,
        summary_id -> BigInt,
        editor_id -> BigInt,
        body_markdown -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    votes (user_id, summary_id) {
        user_id -> BigInt,
        summary_id -> BigInt,
        value -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    comments (id) {
        id -> BigInt,
        summary_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        author_id -> BigInt,
        body_markdown -> Text,
        body_html -> Text,
        hidden -> Bool,
        deleted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        session_id -> BigInt,
        lookup -> Text,
        secret_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        lookup -> Text,
        secret_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    server_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    moderation_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        target_user_id -> Nullable<BigInt>,
        reason -> Nullable<Text>,
        details -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    paper_changes (id) {
        id -> BigInt,
        paper_id -> BigInt,
        user_id -> Nullable<BigInt>,
        action -> Text,
        changes -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rate_limits (key) {
        key -> Text,
        tat -> BigInt,
    }
}

diesel::table! {
    feed_snapshots (id) {
        id -> BigInt,
        sort -> Text,
        period -> Text,
        since -> Nullable<Timestamp>,
        items -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    upstream_pacing (service) {
        service -> Text,
        next_at -> BigInt,
    }
}

diesel::table! {
    upstream_cache (key) {
        key -> Text,
        body -> Nullable<Text>,
        status -> Integer,
        fetched_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    health_probe (id) {
        id -> BigInt,
        at -> Timestamp,
    }
}

diesel::table! {
    year_counts (year) {
        year -> Integer,
        paper_count -> Integer,
    }
}

diesel::table! {
    venue_year_counts (venue_id, year) {
        venue_id -> BigInt,
        year -> Integer,
        paper_count -> Integer,
    }
}

diesel::table! {
    follows (user_id, kind, target_id) {
        user_id -> BigInt,
        kind -> Text,
        target_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        recipient_id -> BigInt,
        kind -> Text,
        actor_id -> Nullable<BigInt>,
        summary_id -> Nullable<BigInt>,
        comment_id -> Nullable<BigInt>,
        paper_id -> Nullable<BigInt>,
        reason -> Nullable<Text>,
        milestone -> Nullable<Integer>,
        approved -> Nullable<Bool>,
        read -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    flags (id) {
        id -> BigInt,
        user_id -> BigInt,
        target_kind -> Text,
        target_id -> BigInt,
        reason -> Text,
        note -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
        decision_reason -> Nullable<Text>,
    }
}

diesel::table! {
    notification_feeds (user_id) {
        user_id -> BigInt,
        secret_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    author_claims (id) {
        id -> BigInt,
        user_id -> BigInt,
        author_id -> BigInt,
        paper_id -> BigInt,
        orcid -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
        decision_reason -> Nullable<Text>,
    }
}

diesel::joinable!(papers -> venues (venue_id));
diesel::joinable!(venue_year_counts -> venues (venue_id));
diesel::joinable!(papers -> users (created_by));
diesel::joinable!(paper_authors -> papers (paper_id));
diesel::joinable!(paper_authors -> authors (author_id));
diesel::joinable!(paper_keywords -> papers (paper_id));
diesel::joinable!(paper_keywords -> keywords (keyword_id));
diesel::joinable!(summaries -> papers (paper_id));
diesel::joinable!(summaries -> users (author_id));
diesel::joinable!(summary_revisions -> summaries (summary_id));
diesel::joinable!(votes -> summaries (summary_id));
diesel::joinable!(votes -> users (user_id));
diesel::joinable!(comments -> summaries (summary_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(paper_changes -> papers (paper_id));
diesel::joinable!(paper_changes -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(follows -> users (user_id));
diesel::joinable!(notification_feeds -> users (user_id));
diesel::joinable!(author_claims -> authors (author_id));
diesel::joinable!(author_claims -> papers (paper_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    venues,
    papers,
    authors,
    paper_authors,
    keywords,
    paper_keywords,
    summaries,
    summary_revisions,
    votes,
    comments,
    sessions,
    refresh_tokens,
    api_tokens,
    server_secrets,
    moderation_log,
    paper_changes,
    rate_limits,
    feed_snapshots,
    upstream_pacing,
    upstream_cache,
    health_probe,
    year_counts,
    venue_year_counts,
    follows,
    notifications,
    notification_feeds,
    flags,
    author_claims
);
