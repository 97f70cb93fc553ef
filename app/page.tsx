import { redirect } from 'next/navigation'

// The home of the app is the list of the user's agreements (which sends signed-out visitors to login).
export default function Home() {
  redirect('/services')
}
