//! `format: binary` inside JSON. Raw bytes cannot travel in a JSON document, so a binary
//! string there is whatever text the API put in it: the client reads and writes it as a
//! `String`. Raw bytes stay `Bytes` where they are raw: whole request and response bodies,
//! and file parts of multipart forms.

use crate::ir::Api;
use crate::ir::TypeRef;
use crate::ir::walk::each_ref_mut;

/// Rewrites every `Binary` reachable from JSON to `String`. File parts of multipart forms, and
/// whole binary bodies, are where raw bytes belong.
pub(super) fn binary_in_json_is_text(api: &mut Api) {
    each_ref_mut(api, |site, ty| {
        if site.in_json() {
            ty.walk_mut(&mut |r| {
                if *r == TypeRef::Binary {
                    *r = TypeRef::String;
                }
            });
        }
    });
}
