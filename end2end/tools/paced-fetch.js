// Put at the top of wasm-split's `__wasm_split.js` loader by assemble.mjs, which points every
// chunk fetch there. Opening a page, or the idle prefetch after the dashboard, wants tens of
// chunks at once, and the loader would start every fetch in the same task: at a phone's speed
// that task blocks input for 100-200 ms (each fetch() costs the main thread about 3 ms). Here
// fetches start at most PACED_FETCHES_PER_TASK (and about 8 ms) per task, the next ones in a
// new task (a MessageChannel message: no timer clamping), so input is never held for long and
// a page's chunks still arrive together.
const PACED_FETCHES_PER_TASK = 4;
const pacedWaiting = [];
const pacedChannel = new MessageChannel();
let pacedPumping = false;
pacedChannel.port1.onmessage = () => {
    const until = performance.now() + 8;
    let started = 0;
    while (pacedWaiting.length > 0 && started < PACED_FETCHES_PER_TASK && performance.now() < until) {
        pacedWaiting.shift()();
        started += 1;
    }
    if (pacedWaiting.length > 0) pacedChannel.port2.postMessage(null);
    else pacedPumping = false;
};
function pacedFetch(url) {
    return new Promise((resolve, reject) => {
        pacedWaiting.push(() => fetch(url).then(resolve, reject));
        if (!pacedPumping) {
            pacedPumping = true;
            pacedChannel.port2.postMessage(null);
        }
    });
}
// A chunk's bytes, or the reason it did not arrive (the loader reports a failed load).
function wasmBytes(response) {
    if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
    return response.arrayBuffer();
}
