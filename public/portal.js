// Progressive enhancement only: every page works without this file.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-copy]');
  if (!button) return;
  try {
    await navigator.clipboard.writeText(button.getAttribute('data-copy'));
    const was = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = was; }, 1500);
  } catch {
    window.prompt('Copy the link:', button.getAttribute('data-copy'));
  }
});
