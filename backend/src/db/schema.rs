// @generated automatically by Diesel CLI.

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
    }
}

diesel::joinable!(api_keys -> users (created_by));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(notifications -> reports (report_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(report_events -> reports (report_id));
diesel::joinable!(report_events -> users (actor_id));
diesel::joinable!(report_photos -> reports (report_id));
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
diesel::joinable!(users -> neighbourhoods (neighbourhood_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    email_tokens,
    neighbourhoods,
    notifications,
    outbox,
    rate_limits,
    refresh_tokens,
    report_categories,
    report_events,
    report_photos,
    reports,
    survey_answers,
    survey_neighbourhoods,
    survey_questions,
    survey_responses,
    surveys,
    users,
);
