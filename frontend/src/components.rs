//! Form building blocks: labelled fields with hints and inline errors, an
//! error summary that takes focus, and the state a form needs.

use leptos::html::{Button, Div};
use leptos::prelude::*;
use shared::FieldError;

use std::future::Future;

use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::i18n::{field_message, use_i18n, Texts};

#[derive(Clone, Copy)]
pub struct FormState {
    pub server_errors: RwSignal<Vec<FieldError>>,
    pub general: RwSignal<Option<String>>,
    /// Set by a submit attempt: show every client-side error, not just touched ones.
    pub submitted: RwSignal<bool>,
    pub pending: RwSignal<bool>,
    pub summary: NodeRef<Div>,
}

impl FormState {
    pub fn new() -> FormState {
        FormState {
            server_errors: RwSignal::new(Vec::new()),
            general: RwSignal::new(None),
            submitted: RwSignal::new(false),
            pending: RwSignal::new(false),
            summary: NodeRef::new(),
        }
    }

    /// The translated server error for `field`, if any.
    pub fn server_error(&self, field: &str) -> Option<String> {
        let lang = use_i18n().lang.get();
        self.server_errors.with(|errors| {
            errors.iter().find(|e| e.field == field).map(|e| {
                field_message(lang, &e.code)
                    .map(str::to_owned)
                    .unwrap_or_else(|| e.message.clone())
            })
        })
    }

    pub fn clear_field(&self, field: &str) {
        self.server_errors
            .update(|errors| errors.retain(|e| e.field != field));
    }

    /// Starts a submission; false (and the summary focused) when the form
    /// still has client-side errors.
    pub fn begin(&self, has_errors: impl FnOnce() -> bool) -> bool {
        // Mark submitted first: untouched fields only report errors after that.
        self.submitted.set(true);
        self.general.set(None);
        if has_errors() {
            self.focus_summary();
            return false;
        }
        self.pending.set(true);
        true
    }

    /// Shows an API failure next to the fields, or as a general message.
    pub fn fail(&self, error: ApiError, t: &Texts) {
        self.pending.set(false);
        let fields = error.field_errors();
        if fields.is_empty() || fields.iter().all(|f| f.field.is_empty()) {
            self.general.set(Some(error.message(t)));
        }
        self.server_errors.set(fields);
        self.focus_summary();
    }

    pub fn done(&self) {
        self.pending.set(false);
        self.submitted.set(false);
        self.server_errors.set(Vec::new());
    }

    fn focus_summary(&self) {
        let summary = self.summary;
        request_animation_frame(move || {
            if let Some(el) = summary.get_untracked() {
                let _ = el.focus();
            }
        });
    }
}

impl Default for FormState {
    fn default() -> Self {
        FormState::new()
    }
}

/// A client-side check plus the server's verdict, shown once the field was
/// left or the form submitted.
pub fn field_error(
    form: FormState,
    field: &'static str,
    touched: RwSignal<bool>,
    check: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let lang = i18n.lang.get();
        if touched.get() || form.submitted.get() {
            if let Some(code) = check() {
                return Some(
                    field_message(lang, &code)
                        .map(str::to_owned)
                        .unwrap_or(code),
                );
            }
        }
        form.server_error(field)
    })
}

#[component]
pub fn Field(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    touched: RwSignal<bool>,
    form: FormState,
) -> impl IntoView {
    let has_hint = hint.is_some();
    let described = move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if error.get().is_some() {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id>{move || label.get()}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{move || h.get()}</p> })}
            {move || error.get().map(|e| view! { <p class="error" id=format!("{id}-error")>{e}</p> })}
            <input
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    form.clear_field(id);
                }
                on:blur=move |_| touched.set(true)
            />
        </div>
    }
}

/// Lists what is wrong, with links to the fields; takes focus after a
/// failed submit so screen reader users hear it.
#[component]
pub fn ErrorSummary(form: FormState, items: Signal<Vec<(&'static str, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    let visible =
        move || form.submitted.get() && (!items.get().is_empty() || form.general.get().is_some());
    view! {
        <div class="error-summary" role="alert" tabindex="-1" node_ref=form.summary hidden=move || !visible()>
            <Show when=visible>
                <h2>{move || i18n.t().error_summary}</h2>
                {move || form.general.get().map(|g| view! { <p>{g}</p> })}
                <ul>
                    {move || {
                        items
                            .get()
                            .into_iter()
                            .map(|(field, message)| {
                                view! { <li><a href=format!("#{field}")>{message}</a></li> }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </div>
    }
}

/// A success message announced politely.
#[component]
pub fn Notice(message: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <p class="notice" role="status" hidden=move || message.get().is_none()>
            {move || message.get().unwrap_or_default()}
        </p>
    }
}

/// Where a paged list is: the page shown and the last one. `more`: the
/// total was counted only up to a cap and this page is full, so pages may
/// follow `last`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Paging {
    pub current: u32,
    pub last: u32,
    pub more: bool,
}

impl Paging {
    /// Page `current` of `per_page` rows, `shown` of them here, of `total`
    /// (counted up to a cap when `capped`).
    pub fn new(current: u32, per_page: u32, total: i64, capped: bool, shown: usize) -> Paging {
        let last = u32::try_from(total.max(0))
            .unwrap_or(u32::MAX)
            .div_ceil(per_page.max(1))
            .max(1);
        let more = capped && shown as u32 >= per_page;
        Paging {
            current,
            last: if more { last.max(current) } else { last },
            more,
        }
    }

    fn has_next(self) -> bool {
        self.current < self.last || self.more
    }
}

/// Previous and next buttons under a paged list, and where the reader is
/// ("2 / 5", or "5 / 5+" when more may follow). Rendered once, beside the
/// list rather than in it, so that a keyboard user's focus stays on the
/// button while the next page loads; when that button is disabled on
/// arrival (the first or last page), focus moves to the other one instead
/// of falling back to the top of the document. Hidden while `paging` is
/// `None`.
#[component]
pub fn Pager(page: RwSignal<u32>, #[prop(into)] paging: Signal<Option<Paging>>) -> impl IntoView {
    let i18n = use_i18n();
    let at = move || {
        paging.get().unwrap_or(Paging {
            current: 1,
            last: 1,
            more: false,
        })
    };
    let (previous, next) = (NodeRef::<Button>::new(), NodeRef::<Button>::new());
    // Which button was pressed (true: next), until its page has arrived.
    let pressed = StoredValue::new(None::<bool>);
    Effect::new(move |_| {
        if paging.get().is_none() {
            return;
        }
        let Some(forward) = pressed.get_value() else {
            return;
        };
        pressed.set_value(None);
        let (button, other) = if forward {
            (next, previous)
        } else {
            (previous, next)
        };
        let target = button.get_untracked().filter(|b| !b.disabled());
        if let Some(b) = target.or_else(|| other.get_untracked()) {
            let _ = b.focus();
        }
    });
    let go = move |forward: bool, to: u32| {
        pressed.set_value(Some(forward));
        page.set(to);
    };
    view! {
        <nav class="pager" aria-label=move || i18n.pick("Pagina's", "Pages") hidden=move || paging.get().is_none()>
            <button type="button" class="button small" node_ref=previous disabled=move || at().current <= 1
                on:click=move |_| go(false, at().current.saturating_sub(1).max(1))>{move || i18n.t().previous}</button>
            <span>{move || { let p = at(); format!("{} / {}{}", p.current, p.last, if p.more { "+" } else { "" }) }}</span>
            <button type="button" class="button small" node_ref=next disabled=move || !at().has_next()
                on:click=move |_| go(true, at().current + 1)>{move || i18n.t().next}</button>
        </nav>
    }
}

/// Sets the document title for a page.
pub fn page_title(title: impl Fn(&'static Texts) -> &'static str + 'static) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        document().set_title(&format!("{} · Wijkveilig", title(i18n.t())));
    });
}

pub fn submit_label(
    form: FormState,
    t: impl Fn(&'static Texts) -> &'static str + Send + Sync + 'static,
) -> impl Fn() -> &'static str {
    let i18n = use_i18n();
    move || {
        if form.pending.get() {
            i18n.t().busy
        } else {
            t(i18n.t())
        }
    }
}

/// The error code of a `shared::validation` result.
pub fn code<T>(result: Result<T, FieldError>) -> Option<String> {
    result.err().map(|e| e.code)
}

/// A field in the error summary: its element id, its label, its error.
pub type SummaryField = (
    &'static str,
    fn(&'static Texts) -> &'static str,
    Signal<Option<String>>,
);

/// The visible errors of a form's fields, each named by its label.
pub fn summary_items(fields: Vec<SummaryField>) -> Signal<Vec<(&'static str, String)>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let t = i18n.t();
        fields
            .iter()
            .filter_map(|(id, label, error)| {
                error.get().map(|e| (*id, format!("{}: {e}", label(t))))
            })
            .collect()
    })
}

/// Data loaded from the API: `None` until the first answer, then the newest
/// answer. `source` runs again (and loads again) when a signal it reads
/// changes; an answer that arrives after a newer request was made is dropped.
/// A lighter stand-in for `LocalResource`, whose machinery (it can also be
/// awaited by Suspense, which these pages do not use) was compiled anew for
/// every kind of data and made up a tenth of the bundle.
pub fn fetch<T, Fut>(source: impl Fn() -> Fut + 'static) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = T> + 'static,
{
    let (value, set_value) = signal(None::<T>);
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        let request = source();
        let generation = latest.get_value().wrapping_add(1);
        latest.set_value(generation);
        spawn_local(async move {
            let answer = request.await;
            if latest.try_get_value() == Some(generation) {
                set_value.set(Some(answer));
            }
        });
    });
    value
}
