// @generated automatically by Diesel CLI.

diesel::table! {
    action_updates (id) {
        id -> Integer,
        action_id -> Integer,
        actor_id -> Nullable<Integer>,
        actor_role -> Text,
        status -> Nullable<Text>,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Integer,
        name -> Text,
        key_hash -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        actor_id -> Nullable<Integer>,
        actor_role -> Text,
        action -> Text,
        subject_type -> Nullable<Text>,
        subject_id -> Nullable<Integer>,
        detail -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaigns (id) {
        id -> Integer,
        code -> Text,
        name -> Text,
        target_group -> Text,
        channel -> Text,
        neighbourhood_id -> Nullable<Integer>,
        starts_on -> Date,
        ends_on -> Date,
        cost_cents -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> Integer,
        user_id -> Integer,
        privacy_version -> Text,
        accepted_at -> Timestamp,
    }
}

diesel::table! {
    email_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        purpose -> Text,
        token_hash -> Text,
        detail -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    follow_up_actions (id) {
        id -> Integer,
        topic_id -> Integer,
        description -> Text,
        owner -> Text,
        due_on -> Date,
        status -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meeting_rsvps (meeting_id, user_id) {
        meeting_id -> Integer,
        user_id -> Integer,
        going -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meetings (id) {
        id -> Integer,
        neighbourhood_id -> Integer,
        title -> Text,
        starts_at -> Timestamp,
        place -> Text,
        description -> Text,
        propose_until -> Timestamp,
        capacity -> Integer,
        status -> Text,
        minutes -> Nullable<Text>,
        evaluation_survey_id -> Nullable<Integer>,
        copied_from -> Nullable<Integer>,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    metric_rollups (metric, day, user_group, neighbourhood_id, dim) {
        metric -> Text,
        day -> Date,
        user_group -> Text,
        neighbourhood_id -> Integer,
        dim -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    metric_targets (id) {
        id -> Integer,
        metric -> Text,
        user_group -> Nullable<Text>,
        neighbourhood_id -> Nullable<Integer>,
        value -> Double,
        due_on -> Date,
        label -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    neighbourhoods (id) {
        id -> Integer,
        name -> Text,
        active -> Bool,
    }
}

diesel::table! {
    notifications (id) {
        id -> Integer,
        user_id -> Integer,
        report_id -> Nullable<Integer>,
        kind -> Text,
        status -> Nullable<Text>,
        public_note -> Nullable<Text>,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        topic_id -> Nullable<Integer>,
    }
}

diesel::table! {
    observations (id) {
        id -> Integer,
        patrol_id -> Integer,
        user_id -> Nullable<Integer>,
        what -> Text,
        place -> Text,
        observed_at -> Timestamp,
        report_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Integer,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    patrol_signups (patrol_id, user_id) {
        patrol_id -> Integer,
        user_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    patrols (id) {
        id -> Integer,
        team_id -> Integer,
        starts_at -> Timestamp,
        meeting_point -> Text,
        route -> Text,
        min_members -> Integer,
        max_members -> Integer,
        signup_count -> Integer,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rate_limits (key) {
        key -> Text,
        window_start -> Timestamp,
        count -> Integer,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        family_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    report_categories (id) {
        id -> Integer,
        code -> Text,
        kind -> Text,
        name_nl -> Text,
        name_en -> Text,
        triage_days -> Integer,
        police_by_default -> Bool,
        active -> Bool,
        position -> Integer,
    }
}

diesel::table! {
    report_events (id) {
        id -> Integer,
        report_id -> Integer,
        actor_id -> Nullable<Integer>,
        actor_role -> Text,
        event -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        public_note -> Nullable<Text>,
        internal_note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    report_photos (id) {
        id -> Integer,
        report_id -> Integer,
        storage_key -> Text,
        content_type -> Text,
        byte_size -> Integer,
        width -> Integer,
        height -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reporter_report_counts (reporter_id) {
        reporter_id -> Integer,
        reports -> BigInt,
    }
}

diesel::table! {
    reports (id) {
        id -> Integer,
        reporter_id -> Nullable<Integer>,
        category_id -> Integer,
        kind -> Text,
        neighbourhood_id -> Integer,
        description -> Text,
        occurred_at -> Timestamp,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        address -> Nullable<Text>,
        anonymous_to_partners -> Bool,
        contact_ok -> Bool,
        status -> Text,
        due_at -> Timestamp,
        forwarded_at -> Nullable<Timestamp>,
        police_handled_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        satisfied -> Nullable<Bool>,
        feedback -> Nullable<Text>,
        feedback_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reporter_group -> Nullable<Text>,
    }
}

diesel::table! {
    retention_settings (kind) {
        kind -> Text,
        days -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    survey_answers (id) {
        id -> Integer,
        response_id -> Integer,
        question_id -> Integer,
        choices -> Nullable<Text>,
        number -> Nullable<Double>,
        text -> Nullable<Text>,
    }
}

diesel::table! {
    survey_neighbourhoods (survey_id, neighbourhood_id) {
        survey_id -> Integer,
        neighbourhood_id -> Integer,
    }
}

diesel::table! {
    survey_questions (id) {
        id -> Integer,
        survey_id -> Integer,
        position -> Integer,
        question_key -> Text,
        kind -> Text,
        text_nl -> Text,
        text_en -> Text,
        required -> Bool,
        config -> Text,
    }
}

diesel::table! {
    survey_responses (id) {
        id -> Integer,
        survey_id -> Integer,
        respondent_id -> Nullable<Integer>,
        respondent_key -> Text,
        user_group -> Nullable<Text>,
        neighbourhood_id -> Nullable<Integer>,
        submitted_at -> Timestamp,
    }
}

diesel::table! {
    surveys (id) {
        id -> Integer,
        title_nl -> Text,
        title_en -> Text,
        intro_nl -> Text,
        intro_en -> Text,
        audience_groups -> Text,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        anonymous -> Bool,
        status -> Text,
        baseline_id -> Nullable<Integer>,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    team_members (team_id, user_id) {
        team_id -> Integer,
        user_id -> Integer,
        status -> Text,
        lead -> Bool,
        requested_at -> Timestamp,
        joined_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    teams (id) {
        id -> Integer,
        neighbourhood_id -> Integer,
        name -> Text,
        area -> Text,
        contact -> Text,
        status -> Text,
        decision_reason -> Nullable<Text>,
        proposer_id -> Nullable<Integer>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    topic_events (id) {
        id -> Integer,
        topic_id -> Integer,
        actor_id -> Nullable<Integer>,
        actor_role -> Text,
        event -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    topic_reports (topic_id, report_id) {
        topic_id -> Integer,
        report_id -> Integer,
    }
}

diesel::table! {
    topic_supports (topic_id, user_id) {
        topic_id -> Integer,
        user_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    topics (id) {
        id -> Integer,
        meeting_id -> Integer,
        proposer_id -> Nullable<Integer>,
        title -> Text,
        description -> Text,
        status -> Text,
        merged_into -> Nullable<Integer>,
        public_reason -> Nullable<Text>,
        support_count -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_activity (user_id) {
        user_id -> Integer,
        last_seen_at -> Timestamp,
        warned_at -> Nullable<Timestamp>,
        last_action_at -> Nullable<Timestamp>,
        firsts -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        role -> Text,
        user_group -> Nullable<Text>,
        neighbourhood_id -> Nullable<Integer>,
        language -> Text,
        email_verified_at -> Nullable<Timestamp>,
        student_verified_at -> Nullable<Timestamp>,
        student_domain -> Nullable<Text>,
        privacy_version -> Nullable<Text>,
        privacy_accepted_at -> Nullable<Timestamp>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        campaign_id -> Nullable<Integer>,
    }
}

diesel::joinable!(action_updates -> follow_up_actions (action_id));
diesel::joinable!(action_updates -> users (actor_id));
diesel::joinable!(api_keys -> users (created_by));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(campaigns -> neighbourhoods (neighbourhood_id));
diesel::joinable!(consents -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(follow_up_actions -> topics (topic_id));
diesel::joinable!(follow_up_actions -> users (created_by));
diesel::joinable!(meeting_rsvps -> meetings (meeting_id));
diesel::joinable!(meeting_rsvps -> users (user_id));
diesel::joinable!(meetings -> neighbourhoods (neighbourhood_id));
diesel::joinable!(meetings -> surveys (evaluation_survey_id));
diesel::joinable!(meetings -> users (created_by));
diesel::joinable!(metric_targets -> neighbourhoods (neighbourhood_id));
diesel::joinable!(metric_targets -> users (created_by));
diesel::joinable!(notifications -> reports (report_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(observations -> patrols (patrol_id));
diesel::joinable!(observations -> reports (report_id));
diesel::joinable!(observations -> users (user_id));
diesel::joinable!(patrol_signups -> patrols (patrol_id));
diesel::joinable!(patrol_signups -> users (user_id));
diesel::joinable!(patrols -> teams (team_id));
diesel::joinable!(patrols -> users (created_by));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(report_events -> reports (report_id));
diesel::joinable!(report_events -> users (actor_id));
diesel::joinable!(report_photos -> reports (report_id));
diesel::joinable!(reporter_report_counts -> users (reporter_id));
diesel::joinable!(reports -> neighbourhoods (neighbourhood_id));
diesel::joinable!(reports -> report_categories (category_id));
diesel::joinable!(reports -> users (reporter_id));
diesel::joinable!(survey_answers -> survey_questions (question_id));
diesel::joinable!(survey_answers -> survey_responses (response_id));
diesel::joinable!(survey_neighbourhoods -> neighbourhoods (neighbourhood_id));
diesel::joinable!(survey_neighbourhoods -> surveys (survey_id));
diesel::joinable!(survey_questions -> surveys (survey_id));
diesel::joinable!(survey_responses -> neighbourhoods (neighbourhood_id));
diesel::joinable!(survey_responses -> surveys (survey_id));
diesel::joinable!(survey_responses -> users (respondent_id));
diesel::joinable!(surveys -> users (created_by));
diesel::joinable!(team_members -> teams (team_id));
diesel::joinable!(team_members -> users (user_id));
diesel::joinable!(teams -> neighbourhoods (neighbourhood_id));
diesel::joinable!(teams -> users (proposer_id));
diesel::joinable!(topic_events -> topics (topic_id));
diesel::joinable!(topic_events -> users (actor_id));
diesel::joinable!(topic_reports -> reports (report_id));
diesel::joinable!(topic_reports -> topics (topic_id));
diesel::joinable!(topic_supports -> topics (topic_id));
diesel::joinable!(topic_supports -> users (user_id));
diesel::joinable!(topics -> meetings (meeting_id));
diesel::joinable!(topics -> users (proposer_id));
diesel::joinable!(user_activity -> users (user_id));
diesel::joinable!(users -> campaigns (campaign_id));
diesel::joinable!(users -> neighbourhoods (neighbourhood_id));

diesel::allow_tables_to_appear_in_same_query!(
    action_updates,
    api_keys,
    audit_log,
    campaigns,
    consents,
    email_tokens,
    follow_up_actions,
    meeting_rsvps,
    meetings,
    metric_rollups,
    metric_targets,
    neighbourhoods,
    notifications,
    observations,
    outbox,
    patrol_signups,
    patrols,
    rate_limits,
    refresh_tokens,
    report_categories,
    report_events,
    report_photos,
    reporter_report_counts,
    reports,
    retention_settings,
    survey_answers,
    survey_neighbourhoods,
    survey_questions,
    survey_responses,
    surveys,
    team_members,
    teams,
    topic_events,
    topic_reports,
    topic_supports,
    topics,
    user_activity,
    users,
);
